package dev.messengerhandover.bot;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.messengerhandover.handover.BotAnswer;
import dev.messengerhandover.handover.BotRequest;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The JSON a team's own bot is sent ({@link Request}) and answers ({@link #answer}): the contract of
 * {@code handover.bot=http}, kept apart from the rules' own types so that either can change without the other.
 * Times are ISO-8601 instants; fields without a value are {@code null}, never left out, so a bot sees the whole shape.
 *
 * <pre>
 * {"account":{"id","platform","name"},"user":{"id"},
 *  "event":{"mid","text","payload","attachments":[{"type","url"}],"nlp":[{"kind","name","value","confidence"}],"at"},
 *  "context":{"transcript":[{"who","text","at"}],"fallbacks","language"}}
 * </pre>
 *
 * The answer, to this request or posted later: {@code {"messages":[{"text","quickReplies":[{"title","payload"}]}],
 * "handover":{"reason"}|null}}; unknown fields are ignored, no {@code messages} is none.
 */
public final class HttpBotContract {

    private HttpBotContract() {
    }

    @RegisterForReflection
    public record Request(Account account, User user, Event event, Context context) {
    }

    /** @param platform {@code messenger}, {@code instagram} or {@code whatsapp} */
    @RegisterForReflection
    public record Account(String id, String platform, String name) {
    }

    @RegisterForReflection
    public record User(String id) {
    }

    @RegisterForReflection
    public record Event(String mid, String text, String payload, List<Attachment> attachments, List<Nlp> nlp,
            String at) {
    }

    @RegisterForReflection
    public record Attachment(String type, String url) {
    }

    @RegisterForReflection
    public record Nlp(String kind, String name, String value, double confidence) {
    }

    /** @param who {@code user}, {@code bot} or {@code agent} */
    @RegisterForReflection
    public record Line(String who, String text, String at) {
    }

    @RegisterForReflection
    public record Context(List<Line> transcript, int fallbacks, String language) {
    }

    /** What the bot is sent for {@code request}. */
    public static Request request(BotRequest r) {
        var attachments = r.attachments().stream().map(a -> new Attachment(a.type(), a.url())).toList();
        var nlp = r.nlp().stream().map(n -> new Nlp(n.kind(), n.name(), n.value(), n.confidence())).toList();
        var transcript = r.transcript().stream().map(l -> new Line(l.who().wire(), l.text(), iso(l.at()))).toList();
        return new Request(new Account(r.accountId(), r.platform(), r.accountName()), new User(r.userId()),
                new Event(r.mid(), r.text(), r.payload(), attachments, nlp, iso(r.at())),
                new Context(transcript, r.fallbacks(), r.language()));
    }

    /** The reason a hand-over asked without one is given. */
    static final String UNSAID_REASON = "bot";

    /**
     * The bot's answer in {@code body}, to a request or posted later ({@code POST /bot/{account}/{user}/messages});
     * an empty body is an answer with nothing in it (the bot may answer later).
     *
     * @throws BotException {@link dev.messengerhandover.handover.BotFailure#MALFORMED} when it is not JSON or not
     *         the contract's shape (the detail says where, never what the texts are)
     */
    public static BotAnswer answer(byte[] body) {
        if (body == null || body.length == 0 || new String(body, StandardCharsets.UTF_8).isBlank()) {
            return new BotAnswer(List.of(), null);
        }
        var root = BotCalls.object("http bot", body);
        var messages = new ArrayList<BotAnswer.Message>();
        var list = root.path("messages");
        if (!list.isMissingNode() && !list.isNull()) {
            if (!list.isArray()) {
                throw BotCalls.malformed("http bot", "messages is not a list");
            }
            for (int i = 0; i < list.size(); i++) {
                messages.add(message(list.get(i), "messages[" + i + "]"));
            }
        }
        var handover = root.path("handover");
        String reason = null;
        if (!handover.isMissingNode() && !handover.isNull()) {
            if (!handover.isObject()) {
                throw BotCalls.malformed("http bot", "handover is neither an object nor null");
            }
            reason = optionalText(handover.path("reason"), "handover.reason");
            if (reason == null || reason.isBlank()) {
                reason = UNSAID_REASON;
            }
        }
        return new BotAnswer(messages, reason);
    }

    private static BotAnswer.Message message(JsonNode node, String where) {
        if (!node.isObject()) {
            throw BotCalls.malformed("http bot", where + " is not an object");
        }
        var text = optionalText(node.path("text"), where + ".text");
        var replies = new ArrayList<BotAnswer.Reply>();
        var list = node.path("quickReplies");
        if (!list.isMissingNode() && !list.isNull()) {
            if (!list.isArray()) {
                throw BotCalls.malformed("http bot", where + ".quickReplies is not a list");
            }
            for (int i = 0; i < list.size(); i++) {
                var reply = list.get(i);
                var at = where + ".quickReplies[" + i + "]";
                var title = optionalText(reply.path("title"), at + ".title");
                var payload = optionalText(reply.path("payload"), at + ".payload");
                if (title == null || title.isBlank() || payload == null || payload.isEmpty()) {
                    throw BotCalls.malformed("http bot", at + " needs a title and a payload");
                }
                replies.add(new BotAnswer.Reply(title, payload));
            }
        }
        if ((text == null || text.isBlank()) && replies.isEmpty()) {
            throw BotCalls.malformed("http bot", where + " has neither text nor quick replies");
        }
        return new BotAnswer.Message(text, replies);
    }

    private static String optionalText(JsonNode node, String where) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw BotCalls.malformed("http bot", where + " is not a string");
        }
        return node.asText();
    }

    private static String iso(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }
}
