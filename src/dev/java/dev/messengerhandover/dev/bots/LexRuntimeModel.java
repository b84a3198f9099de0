package dev.messengerhandover.dev.bots;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Amazon Lex V2's runtime for one bot alias and locale, as {@code RecognizeText} speaks it: {@code POST
 * /bots/{botId}/botAliases/{botAliasId}/botLocales/{localeId}/sessions/{sessionId}/text} with {@code {"text"}},
 * signed with SigV4 for {@code lex} (checked as AWS does: {@link SigV4Check}), answered with {@code messages},
 * {@code sessionState} ({@code dialogAction}, {@code intent {name, state}}, {@code sessionAttributes}),
 * {@code interpretations} and the {@code sessionId}; refused with AWS's REST-JSON errors ({@code x-amzn-ErrorType},
 * {@code {"message"}}) and their statuses. Lex cannot run here: this is what the function's Lex client talks to in
 * the tests and the emulator. Each request takes the next scripted reply; without one, a small bot: its hand-off
 * intent for "person", "human", "agent"; hours for "hours" or "open"; a size question with a card for "shirt";
 * else the fallback intent. Session attributes are kept per session. No I/O; safe from several threads.
 */
public final class LexRuntimeModel extends ScriptedBackend<LexRuntimeModel.Reply, LexRuntimeModel.Call> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PATH = Pattern.compile(
            "/bots/([^/]+)/botAliases/([^/]+)/botLocales/([^/]+)/sessions/([^/]+)/text");
    private static final Pattern SESSION_ID = Pattern.compile("[0-9a-zA-Z._:-]{2,100}");
    private static final Pattern PERSON = Pattern.compile("\\b(person|human|agent)\\b", Pattern.CASE_INSENSITIVE);
    public static final String FALLBACK_INTENT = "FallbackIntent";

    /** What Lex does with one request. */
    public sealed interface Reply permits Answer, Error, Raw, Slow {
    }

    /**
     * A turn: the messages, the intent Lex settled on and its state ({@code InProgress}, {@code ReadyForFulfillment},
     * {@code Fulfilled}, {@code Failed}), and session attributes to set.
     */
    public record Answer(List<ObjectNode> messages, String intent, String state, Map<String, String> attributes)
            implements Reply {
    }

    /** AWS's error: status and type ({@code ThrottlingException}, {@code ValidationException}, ...). */
    public record Error(int status, String type) implements Reply {
    }

    /** Any status and body: a 200 that is not JSON. */
    public record Raw(int status, String body) implements Reply {
    }

    public record Slow(long millis, Reply then) implements Reply {
    }

    public static ObjectNode plainText(String text) {
        return JSON.createObjectNode().put("contentType", "PlainText").put("content", text);
    }

    public static ObjectNode ssml(String ssml) {
        return JSON.createObjectNode().put("contentType", "SSML").put("content", ssml);
    }

    public static ObjectNode customPayload(String content) {
        return JSON.createObjectNode().put("contentType", "CustomPayload").put("content", content);
    }

    /** A button of a response card: what it says, and the value Lex is sent when it is tapped. */
    public record Button(String text, String value) {
    }

    /** A response card with its buttons, in order (Lex allows five). */
    public static ObjectNode card(String title, String subtitle, Button... buttons) {
        var message = JSON.createObjectNode().put("contentType", "ImageResponseCard");
        var card = message.putObject("imageResponseCard").put("title", title);
        if (subtitle != null) {
            card.put("subtitle", subtitle);
        }
        var list = card.putArray("buttons");
        for (var button : buttons) {
            list.addObject().put("text", button.text()).put("value", button.value());
        }
        return message;
    }

    /** An intent fulfilled with these messages. */
    public static Answer fulfilled(String intent, ObjectNode... messages) {
        return new Answer(List.of(messages), intent, "Fulfilled", Map.of());
    }

    /** A request as Lex took it, and its status. */
    public record Call(String botId, String botAliasId, String localeId, String sessionId, String text,
            Map<String, String> requestAttributes, int status) {
    }

    private final String botId;
    private final String botAliasId;
    private final String localeId;
    private final String handoffIntent;
    private final AwsCredentialsIdentity credentials;
    private final Map<String, Map<String, String>> sessions = new HashMap<>();

    public LexRuntimeModel(String botId, String botAliasId, String localeId, String handoffIntent,
            AwsCredentialsIdentity credentials) {
        this.botId = botId;
        this.botAliasId = botAliasId;
        this.localeId = localeId;
        this.handoffIntent = handoffIntent;
        this.credentials = credentials;
    }

    @Override
    protected void forget() {
        sessions.clear();
    }

    public synchronized Wire.Response handle(Wire.Request request) {
        var path = PATH.matcher(request.path());
        if (!request.method().equals("POST") || !path.matches()) {
            return Wire.Response.awsError(404, "UnknownOperationException", "Unknown operation");
        }
        var refusal = SigV4Check.refusal(request, "lex", credentials);
        if (refusal.isPresent()) {
            return recorded(path.group(4), null, Map.of(), refusal.get().response());
        }
        var session = path.group(4);
        if (!path.group(1).equals(botId) || !path.group(2).equals(botAliasId) || !path.group(3).equals(localeId)) {
            return recorded(session, null, Map.of(), Wire.Response.awsError(404, "ResourceNotFoundException",
                    "Failed to retrieve resource since it does not exist"));
        }
        if (!SESSION_ID.matcher(session).matches()) {
            return recorded(session, null, Map.of(), Wire.Response.awsError(400, "ValidationException",
                    "1 validation error detected: Value at 'sessionId' failed to satisfy constraint"));
        }
        JsonNode body;
        try {
            body = JSON.readTree(request.body());
        } catch (IOException e) {
            body = null;
        }
        var text = body == null ? null : body.path("text");
        if (text == null || !text.isTextual() || text.asText().isEmpty() || text.asText().length() > 1024) {
            return recorded(session, null, Map.of(), Wire.Response.awsError(400, "ValidationException",
                    "1 validation error detected: Value at 'text' failed to satisfy constraint"));
        }
        var attributes = new LinkedHashMap<String, String>();
        body.path("requestAttributes").fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue()
                .asText()));
        var response = respond(next(text.asText()), session, attributes);
        return recorded(session, text.asText(), attributes, response);
    }

    private Wire.Response recorded(String session, String text, Map<String, String> attributes,
            Wire.Response response) {
        record(new Call(botId, botAliasId, localeId, session, text, Map.copyOf(attributes), response.status()));
        return response;
    }

    private Reply next(String text) {
        var scripted = scripted();
        if (scripted != null) {
            return scripted;
        }
        var lower = text.toLowerCase(Locale.ROOT);
        if (PERSON.matcher(lower).find()) {
            return fulfilled(handoffIntent, plainText("OK, I'm getting a person from the team for you."));
        }
        if (lower.contains("hours") || lower.contains("open")) {
            return fulfilled("OpeningHours", plainText("We're open Monday to Saturday, 9:00 to 18:00."));
        }
        if (lower.contains("shirt")) {
            var sizes = card("Sizes", null, new Button("Small", "small"), new Button("Large", "large"));
            return new Answer(List.of(plainText("Which size would you like?"), sizes), "OrderShirt", "InProgress",
                    Map.of());
        }
        return fulfilled(FALLBACK_INTENT, plainText("Sorry, I didn't get that. Can you say it another way?"));
    }

    private Wire.Response respond(Reply reply, String session, Map<String, String> requestAttributes) {
        return switch (reply) {
            case Error e -> Wire.Response.awsError(e.status(), e.type(), switch (e.type()) {
                case "ThrottlingException" -> "Rate exceeded";
                case "AccessDeniedException" -> "User is not authorized to perform: lex:RecognizeText";
                default -> e.type() + " (stand-in)";
            });
            case Raw r -> Wire.Response.text(r.status(), "text/plain", r.body());
            case Slow s -> respond(s.then(), session, requestAttributes).after(s.millis());
            case Answer a -> Wire.Response.json(200, turn(a, session, requestAttributes));
        };
    }

    private ObjectNode turn(Answer a, String session, Map<String, String> requestAttributes) {
        var attributes = sessions.computeIfAbsent(session, s -> new LinkedHashMap<>());
        attributes.putAll(a.attributes());
        var root = JSON.createObjectNode();
        var messages = root.putArray("messages");
        a.messages().forEach(messages::add);
        var state = root.putObject("sessionState");
        state.putObject("dialogAction").put("type", a.state().equals("InProgress") ? "ElicitSlot" : "Close");
        var intent = state.putObject("intent").put("name", a.intent()).put("state", a.state())
                .put("confirmationState", "None");
        intent.putObject("slots");
        var stored = state.putObject("sessionAttributes");
        attributes.forEach(stored::put);
        state.put("originatingRequestId", UUID.randomUUID().toString());
        var interpretation = root.putArray("interpretations").addObject();
        interpretation.putObject("nluConfidence").put("score", a.intent().equals(FALLBACK_INTENT) ? 0.0 : 0.93);
        interpretation.putObject("intent").put("name", a.intent()).put("state", a.state())
                .put("confirmationState", "None").putObject("slots");
        root.put("sessionId", session);
        if (!requestAttributes.isEmpty()) {
            var echoed = root.putObject("requestAttributes");
            requestAttributes.forEach(echoed::put);
        }
        return root;
    }
}
