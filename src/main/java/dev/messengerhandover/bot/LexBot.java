package dev.messengerhandover.bot;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import dev.messengerhandover.aws.AwsCalls;
import dev.messengerhandover.handover.BotAnswer;
import dev.messengerhandover.handover.BotRequest;
import dev.messengerhandover.handover.Text;
import dev.messengerhandover.retry.Deadline;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Amazon Lex V2 ({@code handover.bot=lex}): {@code RecognizeText} on the bot's alias and locale, signed for
 * {@code lex}, one Lex session per account and user. Lex's messages become the answer's (plain text; a card's buttons
 * as quick replies; SSML read as text; a custom payload in this function's own message shape); its hand-off intent,
 * fulfilled, or the session attribute {@code handover=true}, hands over.
 */
@ApplicationScoped
public class LexBot {

    static final String SIGNING_NAME = "lex";
    static final String ENDPOINT_ID = "LEX_RUNTIME_V2";
    /** Lex reads at most 1,024 characters of text. */
    static final int TEXT_LIMIT = 1024;
    /** The session attribute a bot's code sets to hand over without the hand-off intent, and its reason's. */
    public static final String HANDOVER_ATTRIBUTE = "handover";
    public static final String HANDOVER_REASON_ATTRIBUTE = "handoverReason";
    /** The intent states in which the hand-off intent has been asked for and confirmed: it is done, or about to be. */
    private static final Set<String> DONE = Set.of("Fulfilled", "ReadyForFulfillment");

    /**
     * The body of {@code RecognizeText}: the user's words, and request attributes (this turn only: the session's
     * own state, its slots and dialog, stays Lex's) a bot's code may read.
     */
    @RegisterForReflection
    public record RecognizeText(String text, Map<String, String> requestAttributes) {
    }

    private final AwsCalls aws;

    public LexBot(AwsCalls aws) {
        this.aws = aws;
    }

    /** What Lex answered to {@code request}, within the deadline; a {@link BotException} when it did not. */
    public BotAnswer ask(BotSettings.Lex settings, BotRequest request, Deadline deadline) {
        var session = sessionId(request.accountId(), request.userId());
        var uri = URI.create("https://runtime-v2-lex." + settings.region() + ".amazonaws.com/bots/"
                + encode(settings.botId()) + "/botAliases/" + encode(settings.botAliasId()) + "/botLocales/"
                + encode(settings.localeId()) + "/sessions/" + session + "/text");
        byte[] body;
        try {
            body = BotCalls.JSON.writeValueAsBytes(new RecognizeText(utterance(request), Map.of("platform",
                    request.platform(), "account", request.accountId(), "fallbacks",
                    Integer.toString(request.fallbacks()))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the request to Lex could not be written", e);
        }
        var call = new AwsCalls.Call(SIGNING_NAME, ENDPOINT_ID, settings.region(), uri,
                Map.of("Content-Type", "application/json"), body);
        return answer(BotCalls.send(aws, call, deadline), settings.handoffIntent());
    }

    /**
     * The Lex session of one user of one account: a digest of both (Lex allows 2 to 100 of {@code [0-9a-zA-Z._:-]}),
     * so that the user's id never appears in Lex's logs or ours, and two accounts' users never share a session.
     */
    public static String sessionId(String accountId, String userId) {
        return BotCalls.digest("lex", accountId, userId);
    }

    /**
     * What Lex is told: a tapped button's value first (Lex's own channels send the value, which is what its slots
     * expect), else the text, else the kinds of what was attached, as {@code [image]}.
     */
    static String utterance(BotRequest request) {
        String said;
        if (request.payload() != null && !request.payload().isBlank()) {
            said = request.payload();
        } else if (request.text() != null && !request.text().isBlank()) {
            said = request.text();
        } else {
            var kinds = request.attachments().stream().map(a -> a.type()).distinct().toList();
            said = "[" + (kinds.isEmpty() ? "message" : String.join(", ", kinds)) + "]";
        }
        return Text.clip(said, TEXT_LIMIT);
    }

    /** Lex's {@code RecognizeText} answer as the bot's answer. */
    static BotAnswer answer(JsonNode root, String handoffIntent) {
        var messages = new ArrayList<BotAnswer.Message>();
        var list = root.path("messages");
        if (!list.isMissingNode() && !list.isNull() && !list.isArray()) {
            throw BotCalls.malformed("lex", "messages is not a list");
        }
        for (var message : list) {
            if (!message.isObject()) {
                throw BotCalls.malformed("lex", "a message is not an object");
            }
            var content = message.path("content").asText("");
            switch (message.path("contentType").asText("")) {
                case "PlainText" -> add(messages, content, List.of());
                case "SSML" -> add(messages, spoken(content), List.of());
                case "CustomPayload" -> custom(messages, content);
                case "ImageResponseCard" -> card(messages, message.path("imageResponseCard"));
                default -> {
                    // A content type newer than this client: said nothing it can show.
                }
            }
        }
        var state = root.path("sessionState");
        var intent = state.path("intent");
        var name = intent.path("name").asText(null);
        String handover = null;
        if (name != null && name.equals(handoffIntent) && DONE.contains(intent.path("state").asText(""))) {
            handover = name;
        }
        var attributes = state.path("sessionAttributes");
        if (handover == null && "true".equalsIgnoreCase(attributes.path(HANDOVER_ATTRIBUTE).asText(""))) {
            var reason = attributes.path(HANDOVER_REASON_ATTRIBUTE).asText("");
            handover = !reason.isBlank() ? reason : name != null ? name : "lex";
        }
        return new BotAnswer(messages, handover);
    }

    private static void add(List<BotAnswer.Message> messages, String text, List<BotAnswer.Reply> replies) {
        if ((text != null && !text.isBlank()) || !replies.isEmpty()) {
            messages.add(new BotAnswer.Message(text == null ? null : text.strip(), replies));
        }
    }

    /**
     * A card's buttons are quick replies on the message before it, the question they answer (a prompt, then the
     * card, as Lex's own channels show them); a card with no such message is its own, its title and subtitle the
     * text. Its image is not shown: a quick reply has none.
     */
    private static void card(List<BotAnswer.Message> messages, JsonNode card) {
        var replies = new ArrayList<BotAnswer.Reply>();
        for (var button : card.path("buttons")) {
            var title = button.path("text").asText("");
            var value = button.path("value").asText(title);
            if (!title.isBlank()) {
                replies.add(new BotAnswer.Reply(title, value.isBlank() ? title : value));
            }
        }
        if (!replies.isEmpty() && !messages.isEmpty() && messages.getLast().quickReplies().isEmpty()) {
            var last = messages.removeLast();
            messages.add(new BotAnswer.Message(last.text(), replies));
            return;
        }
        var title = card.path("title").asText("");
        var subtitle = card.path("subtitle").asText("");
        add(messages, subtitle.isBlank() ? title : title + "\n" + subtitle, replies);
    }

    /**
     * A custom payload in this function's message shape ({@code {"text","quickReplies":[{"title","payload"}]}}) is
     * that message; text that is not JSON is a text; any other JSON is another channel's (a Facebook template, a
     * Connect card), not shown.
     */
    private static void custom(List<BotAnswer.Message> messages, String content) {
        JsonNode node;
        try {
            node = BotCalls.JSON.readTree(content);
        } catch (IOException e) {
            add(messages, content, List.of());
            return;
        }
        if (node != null && node.isValueNode()) {
            add(messages, node.isTextual() ? node.asText() : content, List.of());
            return;
        }
        if (node == null || !node.isObject()) {
            return;
        }
        var replies = new ArrayList<BotAnswer.Reply>();
        for (var reply : node.path("quickReplies")) {
            var title = reply.path("title").asText("");
            var payload = reply.path("payload").asText("");
            if (!title.isBlank() && !payload.isEmpty()) {
                replies.add(new BotAnswer.Reply(title, payload));
            }
        }
        var text = node.path("text");
        add(messages, text.isTextual() ? text.asText() : null, text.isTextual() ? replies : List.of());
    }

    /** SSML as the text it speaks: tags out, the five XML entities read, spaces folded. */
    static String spoken(String ssml) {
        return ssml.replaceAll("<[^>]*>", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&apos;", "'").replace("&amp;", "&").replaceAll("\\s+", " ").strip();
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
