package dev.messengerhandover.dev.bots;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.messengerhandover.bot.BotSignature;
import dev.messengerhandover.bot.HttpBot;

/**
 * A team's own bot behind {@code handover.bot=http}, as the contract has it ({@code HttpBotContract}): a signed JSON
 * POST per event, answered with messages, quick replies and a hand-over. It refuses what a careful bot refuses (401
 * without the right {@code X-Handover-Signature-256}, 400 without an {@code Idempotency-Key} or the request's shape)
 * and answers a key it has seen with its first answer again. Each request takes the next scripted reply; without one,
 * it hands over when asked for a person and otherwise says what it read. No I/O; safe from several threads.
 */
public final class HttpBotModel extends ScriptedBackend<HttpBotModel.Reply, HttpBotModel.Call> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PERSON = Pattern.compile("\\b(person|human|agent|someone)\\b",
            Pattern.CASE_INSENSITIVE);

    /** What the bot does with one request. */
    public sealed interface Reply permits Answer, Raw, Slow {
    }

    /** 200 with this JSON answer. */
    public record Answer(ObjectNode body) implements Reply {
    }

    /** Any status with any body: a failure (500, 429, 400), or a 200 that is not the contract's. */
    public record Raw(int status, String contentType, String body) implements Reply {
    }

    /** {@code then}, after {@code millis}. */
    public record Slow(long millis, Reply then) implements Reply {
    }

    /** An answer of texts, each a message. */
    public static Answer says(String... texts) {
        var body = JSON.createObjectNode();
        var messages = body.putArray("messages");
        for (var text : texts) {
            messages.addObject().put("text", text);
        }
        body.putNull("handover");
        return new Answer(body);
    }

    /** A quick reply: its title, and the payload a tap brings back. */
    public record QuickReply(String title, String payload) {
    }

    /** One message with quick replies, in order. */
    public static Answer asks(String text, QuickReply... quickReplies) {
        var body = JSON.createObjectNode();
        var message = body.putArray("messages").addObject().put("text", text);
        var replies = message.putArray("quickReplies");
        for (var reply : quickReplies) {
            replies.addObject().put("title", reply.title()).put("payload", reply.payload());
        }
        return new Answer(body);
    }

    /** A hand-over with its reason, after {@code texts}. */
    public static Answer handsOver(String reason, String... texts) {
        var answer = says(texts);
        answer.body().putObject("handover").put("reason", reason);
        return answer;
    }

    public static Raw status(int status) {
        return new Raw(status, "application/json", "{\"error\":\"stand-in answered " + status + "\"}");
    }

    public static Raw notJson() {
        return new Raw(200, "text/html", "<html><body>Welcome to nginx!</body></html>");
    }

    /** One request as the bot received it, and what it answered. */
    public record Call(String accountId, String userId, String mid, String text, String payload,
            String idempotencyKey, boolean replayed, int status, JsonNode request) {
    }

    private final String secret;
    private final Map<String, Wire.Response> answered = new HashMap<>();

    public HttpBotModel(String secret) {
        this.secret = secret;
    }

    @Override
    protected void forget() {
        answered.clear();
    }

    public synchronized Wire.Response handle(Wire.Request request) {
        if (!request.method().equals("POST")) {
            return error(405, "POST only");
        }
        if (!request.header("Content-Type").orElse("").startsWith("application/json")) {
            return error(415, "application/json only");
        }
        if (!BotSignature.verify(secret, request.body(), request.header(BotSignature.HEADER).orElse(null))) {
            return error(401, "bad or missing " + BotSignature.HEADER);
        }
        var key = request.header(HttpBot.IDEMPOTENCY_KEY).orElse("");
        if (key.isBlank()) {
            return error(400, HttpBot.IDEMPOTENCY_KEY + " missing");
        }
        JsonNode body;
        try {
            body = JSON.readTree(request.body());
        } catch (IOException e) {
            return error(400, "not JSON");
        }
        var event = body == null ? null : body.path("event");
        if (event == null || !body.path("account").path("id").isTextual() || !body.path("user").path("id")
                .isTextual() || !event.isObject() || !body.path("context").isObject()) {
            return error(400, "account.id, user.id, event and context are required");
        }
        var seen = answered.get(key);
        var response = seen != null ? seen : respond(next(event));
        if (seen == null && response.status() / 100 == 2) {
            answered.put(key, response);
        }
        record(new Call(body.path("account").path("id").asText(), body.path("user").path("id").asText(),
                event.path("mid").asText(null), event.path("text").asText(null), event.path("payload").asText(null),
                key, seen != null, response.status(), body));
        return response;
    }

    private Reply next(JsonNode event) {
        var scripted = scripted();
        if (scripted != null) {
            return scripted;
        }
        var text = event.path("text").asText("");
        if (PERSON.matcher(text).find()) {
            return handsOver("asked for a person", "Let me find someone from the team for you.");
        }
        return says(text.isBlank() ? "I can only read text for now." : "You wrote: " + text);
    }

    private static Wire.Response respond(Reply reply) {
        return switch (reply) {
            case Answer a -> Wire.Response.json(200, a.body());
            case Raw r -> Wire.Response.text(r.status(), r.contentType(), r.body());
            case Slow s -> respond(s.then()).after(s.millis());
        };
    }

    private static Wire.Response error(int status, String message) {
        return Wire.Response.json(status, JSON.createObjectNode().put("error", message));
    }
}
