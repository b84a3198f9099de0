package dev.messengerhandover.dev.bots;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.messengerhandover.bot.BedrockPrompt;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Amazon Bedrock's runtime as the Converse API speaks it: {@code POST /model/{modelId}/converse} (the id, an inference
 * profile's or an ARN, URL-encoded) with {@code system}, {@code messages}, {@code inferenceConfig},
 * {@code toolConfig} and an optional {@code guardrailConfig}, signed with SigV4 for {@code bedrock} (checked as AWS
 * does: {@link SigV4Check}); answered with {@code output.message} ({@code role}, {@code content[]} of {@code text} and
 * {@code toolUse {toolUseId, name, input}}), {@code stopReason}, {@code usage} and {@code metrics}; refused with
 * Bedrock's REST-JSON errors and statuses. It checks what Bedrock checks of the conversation (a user turn first, the
 * sides alternating, no empty content) and what the function always sends: the {@value BedrockPrompt#TOOL} tool.
 * Bedrock cannot run here; each request takes the next scripted reply, and without one the model is a simple one:
 * it calls {@value BedrockPrompt#TOOL} when asked for a person, answers with the system prompt's fact that shares
 * the most words with the question, and else says it cannot help. No I/O; safe from several threads.
 */
public final class BedrockRuntimeModel
        extends ScriptedBackend<BedrockRuntimeModel.Reply, BedrockRuntimeModel.Call> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PATH = Pattern.compile("/model/([^/]+)/converse");
    private static final Pattern PERSON = Pattern.compile("\\b(person|human|agent|someone)\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
    private static final Set<String> COMMON = Set.of("what", "when", "where", "which", "with", "your", "this", "that",
            "have", "from", "they", "there", "about", "would", "could", "please", "does", "will", "want");
    public static final String CANNOT_HELP = "Sorry, I can only answer from what I know about us.";
    public static final String GUARDRAIL_BLOCKED = "Sorry, the model cannot answer this question.";

    /** What the model does with one request. */
    public sealed interface Reply permits Says, HandsOver, Intervenes, Error, Raw, Slow {
    }

    /** Text, stopped for {@code stopReason} ({@code end_turn}, {@code max_tokens}, ...). */
    public record Says(String text, String stopReason) implements Reply {
        public Says(String text) {
            this(text, "end_turn");
        }
    }

    /** A call of the hand-over tool with {@code reason}, after {@code text} ({@code null}: none). */
    public record HandsOver(String reason, String text) implements Reply {
    }

    /** The guardrail blocked the input or the answer: its message, {@code guardrail_intervened}. */
    public record Intervenes() implements Reply {
    }

    /** Bedrock's error: status and type ({@code ThrottlingException} 429, {@code ModelTimeoutException} 408, ...). */
    public record Error(int status, String type) implements Reply {
    }

    /** Any status and body: a 200 that is not Converse's. */
    public record Raw(int status, String body) implements Reply {
    }

    public record Slow(long millis, Reply then) implements Reply {
    }

    /** A request as Bedrock took it (the model id decoded), and its status. */
    public record Call(String modelId, String system, JsonNode messages, List<String> tools, JsonNode guardrail,
            JsonNode inferenceConfig, int status) {
        /** The text of the last user turn. */
        public String lastUserText() {
            return lastText(messages);
        }
    }

    private final AwsCredentialsIdentity credentials;

    public BedrockRuntimeModel(AwsCredentialsIdentity credentials) {
        this.credentials = credentials;
    }

    public synchronized Wire.Response handle(Wire.Request request) {
        var path = PATH.matcher(request.path());
        if (!request.method().equals("POST") || !path.matches()) {
            return Wire.Response.awsError(404, "UnknownOperationException", "Unknown operation");
        }
        var modelId = URLDecoder.decode(path.group(1), StandardCharsets.UTF_8);
        var refusal = SigV4Check.refusal(request, "bedrock", credentials);
        if (refusal.isPresent()) {
            return recorded(modelId, null, refusal.get().response());
        }
        JsonNode body;
        try {
            body = JSON.readTree(request.body());
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            return recorded(modelId, null, invalid("The request body is not valid JSON."));
        }
        var problem = problem(body);
        if (problem != null) {
            return recorded(modelId, body, invalid(problem));
        }
        var system = body.path("system").path(0).path("text").asText("");
        return recorded(modelId, body, respond(next(system, lastText(body.path("messages"))), body));
    }

    /** What Bedrock (or the function's contract: the tool) refuses in the request; {@code null}: nothing. */
    private static String problem(JsonNode body) {
        var messages = body.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            return "The messages field is required and must not be empty.";
        }
        String previous = null;
        for (var message : messages) {
            var role = message.path("role").asText("");
            if (!role.equals("user") && !role.equals("assistant")) {
                return "A message's role must be user or assistant.";
            }
            if (previous == null && !role.equals("user")) {
                return "A conversation must start with a user message. Try again with a conversation that starts "
                        + "with a user message.";
            }
            if (role.equals(previous)) {
                return "A conversation must alternate between user and assistant roles. Make sure the conversation "
                        + "alternates between user and assistant roles and try again.";
            }
            var content = message.path("content");
            if (!content.isArray() || content.isEmpty()) {
                return "The content field in the Message object is empty. Add a ContentBlock object to the content "
                        + "field and try again.";
            }
            for (var block : content) {
                if (block.has("text") && block.path("text").asText().isBlank()) {
                    return "The text field in the ContentBlock object is blank. Add text to the text field, and try "
                            + "again.";
                }
            }
            previous = role;
        }
        if (!body.path("system").isArray()) {
            return "(stand-in) the function always sends a system prompt.";
        }
        var offered = tools(body);
        if (!offered.contains(BedrockPrompt.TOOL)) {
            return "(stand-in) toolConfig must offer the " + BedrockPrompt.TOOL + " tool.";
        }
        var max = body.path("inferenceConfig").path("maxTokens");
        if (!max.isMissingNode() && max.asInt() < 1) {
            return "The maximum tokens you requested must be at least 1.";
        }
        return null;
    }

    private static List<String> tools(JsonNode body) {
        var names = new ArrayList<String>();
        for (var tool : body.path("toolConfig").path("tools")) {
            var spec = tool.path("toolSpec");
            if (spec.path("inputSchema").path("json").path("type").asText("").equals("object")) {
                names.add(spec.path("name").asText());
            }
        }
        return names;
    }

    private Wire.Response recorded(String modelId, JsonNode body, Wire.Response response) {
        record(new Call(modelId, body == null ? null : body.path("system").path(0).path("text").asText(null),
                body == null ? null : body.path("messages"), body == null ? List.of() : tools(body),
                body == null || !body.has("guardrailConfig") ? null : body.path("guardrailConfig"),
                body == null ? null : body.path("inferenceConfig"), response.status()));
        return response;
    }

    private Reply next(String system, String said) {
        var scripted = scripted();
        if (scripted != null) {
            return scripted;
        }
        if (PERSON.matcher(said).find()) {
            return new HandsOver("The user asked for a person.", null);
        }
        var words = stems(said);
        String best = null;
        long bestScore = 0;
        for (var fact : facts(system).entrySet()) {
            var score = stems(fact.getKey() + " " + fact.getValue()).stream().filter(words::contains).count();
            if (score > bestScore) {
                best = fact.getValue();
                bestScore = score;
            }
        }
        return new Says(best != null ? best : CANNOT_HELP);
    }

    /** The system prompt's facts, id to answer: the {@code - id: answer} lines under {@link BedrockPrompt#FACTS}. */
    static Map<String, String> facts(String system) {
        var facts = new LinkedHashMap<String, String>();
        boolean in = false;
        for (var line : system.split("\n")) {
            if (line.strip().equals(BedrockPrompt.FACTS)) {
                in = true;
            } else if (in && line.startsWith("- ") && line.indexOf(": ") > 2) {
                facts.put(line.substring(2, line.indexOf(": ")), line.substring(line.indexOf(": ") + 2));
            } else if (in) {
                break;
            }
        }
        return facts;
    }

    /** The first four letters of each word of four or more that says something: "orders" and "order" meet. */
    private static Set<String> stems(String text) {
        var stems = new HashSet<String>();
        var m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            var word = m.group();
            if (word.length() >= 4 && !COMMON.contains(word)) {
                stems.add(word.substring(0, 4));
            }
        }
        return stems;
    }

    private Wire.Response respond(Reply reply, JsonNode request) {
        return switch (reply) {
            case Says s -> Wire.Response.json(200, converse(request, s.stopReason(), text(s.text())));
            case HandsOver h -> {
                var toolUse = JSON.createObjectNode();
                toolUse.putObject("toolUse").put("toolUseId", "tooluse_" + UUID.randomUUID().toString()
                        .replace("-", "").substring(0, 22)).put("name", BedrockPrompt.TOOL).putObject("input")
                        .put("reason", h.reason());
                yield Wire.Response.json(200, h.text() == null ? converse(request, "tool_use", toolUse)
                        : converse(request, "tool_use", text(h.text()), toolUse));
            }
            case Intervenes i -> Wire.Response.json(200, converse(request, "guardrail_intervened",
                    text(GUARDRAIL_BLOCKED)));
            case Error e -> Wire.Response.awsError(e.status(), e.type(), switch (e.type()) {
                case "ThrottlingException" -> "Too many requests, please wait before trying again.";
                case "ModelTimeoutException" -> "Model has timed out in processing the request. Try your request "
                        + "again.";
                case "AccessDeniedException" -> "You don't have access to the model with the specified model ID.";
                case "ValidationException" -> "The provided model identifier is invalid.";
                default -> e.type() + " (stand-in)";
            });
            case Raw r -> Wire.Response.text(r.status(), "application/json", r.body());
            case Slow s -> respond(s.then(), request).after(s.millis());
        };
    }

    private static Wire.Response invalid(String message) {
        return Wire.Response.awsError(400, "ValidationException", message);
    }

    private static ObjectNode text(String text) {
        return JSON.createObjectNode().put("text", text);
    }

    /** Converse's answer; tokens counted as a quarter of the characters, as a rough tokenizer would. */
    private static ObjectNode converse(JsonNode request, String stopReason, ObjectNode... content) {
        var root = JSON.createObjectNode();
        var message = root.putObject("output").putObject("message").put("role", "assistant");
        var blocks = message.putArray("content");
        long written = 0;
        for (var block : content) {
            blocks.add(block);
            written += block.toString().length() / 4 + 1;
        }
        root.put("stopReason", stopReason);
        long read = (request.path("system").toString().length() + request.path("messages").toString().length()) / 4;
        root.putObject("usage").put("inputTokens", read).put("outputTokens", written).put("totalTokens",
                read + written);
        root.putObject("metrics").put("latencyMs", 180);
        return root;
    }

    private static String lastText(JsonNode messages) {
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            return "";
        }
        var last = messages.get(messages.size() - 1);
        var text = new StringBuilder();
        last.path("content").forEach(b -> text.append(b.path("text").asText("")));
        return text.toString();
    }
}
