package dev.messengerhandover.bot;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import dev.messengerhandover.aws.AwsCalls;
import dev.messengerhandover.handover.BotAnswer;
import dev.messengerhandover.handover.BotFailure;
import dev.messengerhandover.handover.BotRequest;
import dev.messengerhandover.handover.Speaker;
import dev.messengerhandover.handover.Text;
import dev.messengerhandover.handover.ThreadState;
import dev.messengerhandover.retry.Deadline;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A model on Amazon Bedrock ({@code handover.bot=bedrock}) through the Converse API, signed for {@code bedrock}: the
 * account's system prompt ({@link BedrockPrompt}), the recent conversation, and one tool, {@value BedrockPrompt#TOOL},
 * which the model calls to hand over. Its text blocks are the answer's messages; the tokens it read and wrote are the
 * answer's usage.
 */
@ApplicationScoped
public class BedrockBot {

    /**
     * Amazon Nova Micro: text only, the cheapest model on Bedrock with Converse and tool use, on demand in us-east-1
     * (USD 0.000035 per 1,000 input tokens, 0.00014 per 1,000 output tokens, aws.amazon.com/bedrock/pricing).
     */
    public static final String DEFAULT_MODEL_ID = "amazon.nova-micro-v1:0";
    static final String SIGNING_NAME = "bedrock";
    static final String ENDPOINT_ID = "BEDROCK_RUNTIME";
    /** About 1,200 characters: room for three sentences in any language, and a cap on what one answer costs. */
    static final int MAX_TOKENS = 300;
    /** Low: the same question gets the same answer from the same facts. */
    static final double TEMPERATURE = 0.2;
    /** Bedrock's name for a guardrail's working draft, when only its identifier is set. */
    static final String DRAFT = "DRAFT";

    /** The Converse request; the guardrail only when there is one. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Converse(List<Content> system, List<Turn> messages, Inference inferenceConfig, Tools toolConfig,
            Guardrail guardrailConfig) {
    }

    /** A text block: of the system prompt, or of a turn. */
    @RegisterForReflection
    public record Content(String text) {
    }

    /** @param role {@code user} or {@code assistant} */
    @RegisterForReflection
    public record Turn(String role, List<Content> content) {
    }

    @RegisterForReflection
    public record Inference(int maxTokens, double temperature) {
    }

    @RegisterForReflection
    public record Tools(List<Tool> tools) {
    }

    @RegisterForReflection
    public record Tool(ToolSpec toolSpec) {
    }

    @RegisterForReflection
    public record ToolSpec(String name, String description, Schema inputSchema) {
    }

    /** @param json a JSON schema */
    @RegisterForReflection
    public record Schema(JsonNode json) {
    }

    @RegisterForReflection
    public record Guardrail(String guardrailIdentifier, String guardrailVersion) {
    }

    static final Tools TOOLS = new Tools(List.of(new Tool(new ToolSpec(BedrockPrompt.TOOL,
            "Hand the conversation over to a person from the team: when the user asks for a person, or when the "
                    + "facts do not let you help.",
            new Schema(schema())))));

    private static JsonNode schema() {
        var schema = BotCalls.JSON.createObjectNode().put("type", "object");
        schema.putObject("properties").putObject("reason").put("type", "string")
                .put("description", "Why a person should take over, in a few words.");
        schema.putArray("required").add("reason");
        return schema;
    }

    private final AwsCalls aws;

    public BedrockBot(AwsCalls aws) {
        this.aws = aws;
    }

    /** What the model answered to {@code request}, within the deadline; a {@link BotException} when it did not. */
    public BotAnswer ask(BotSettings.Bedrock settings, BotRequest request, Deadline deadline) {
        var uri = URI.create("https://bedrock-runtime." + settings.region() + ".amazonaws.com/model/"
                + URLEncoder.encode(settings.modelId(), StandardCharsets.UTF_8).replace("+", "%20") + "/converse");
        byte[] body;
        try {
            body = BotCalls.JSON.writeValueAsBytes(converse(settings, request));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the request to Bedrock could not be written", e);
        }
        var call = new AwsCalls.Call(SIGNING_NAME, ENDPOINT_ID, settings.region(), uri,
                Map.of("Content-Type", "application/json", "Accept", "application/json"), body);
        return answer(BotCalls.send(aws, call, deadline));
    }

    static Converse converse(BotSettings.Bedrock settings, BotRequest request) {
        var guardrail = settings.guardrailIdentifier().filter(g -> !g.isBlank())
                .map(g -> new Guardrail(g, settings.guardrailVersion().filter(v -> !v.isBlank()).orElse(DRAFT)))
                .orElse(null);
        return new Converse(List.of(new Content(settings.systemPrompt())), turns(request),
                new Inference(MAX_TOKENS, TEMPERATURE), TOOLS, guardrail);
    }

    /**
     * The conversation as Converse takes it: the transcript's user and bot lines as {@code user} and
     * {@code assistant} turns, consecutive lines of one side in one turn (Converse wants the sides to alternate),
     * from the user's first line on (it wants a user turn first), and the new words last. A person's lines from the
     * Inbox are left out: as assistant turns the model would take them for its own and build on what only a person
     * could do (look up an order, promise a refund), and it is to answer from the facts alone.
     */
    static List<Turn> turns(BotRequest request) {
        var said = utterance(request);
        var lines = new ArrayList<>(request.transcript());
        // The rules may have written the new line into the transcript already: not twice.
        if (!lines.isEmpty() && lines.getLast().who() == Speaker.USER
                && lines.getLast().text().equals(Text.clip(said, ThreadState.MAX_LINE_CHARS))) {
            lines.removeLast();
        }
        var roles = new ArrayList<String>();
        var texts = new ArrayList<StringBuilder>();
        for (var line : lines) {
            var role = switch (line.who()) {
                case USER -> "user";
                case BOT -> "assistant";
                case AGENT -> null;
            };
            if (role == null || line.text().isBlank() || roles.isEmpty() && role.equals("assistant")) {
                continue;
            }
            append(roles, texts, role, line.text());
        }
        append(roles, texts, "user", said);
        var turns = new ArrayList<Turn>(roles.size());
        for (int i = 0; i < roles.size(); i++) {
            turns.add(new Turn(roles.get(i), List.of(new Content(texts.get(i).toString()))));
        }
        return turns;
    }

    private static void append(List<String> roles, List<StringBuilder> texts, String role, String text) {
        if (!roles.isEmpty() && roles.getLast().equals(role)) {
            texts.getLast().append('\n').append(text);
        } else {
            roles.add(role);
            texts.add(new StringBuilder(text));
        }
    }

    /** The user's words; a tapped button's payload when there are none; else what they sent, described. */
    static String utterance(BotRequest request) {
        if (request.text() != null && !request.text().isBlank()) {
            return request.text();
        }
        if (request.payload() != null && !request.payload().isBlank()) {
            return request.payload();
        }
        var kinds = request.attachments().stream().map(a -> a.type()).distinct().toList();
        return kinds.isEmpty() ? "(an empty message)" : "(the user sent: " + String.join(", ", kinds) + ")";
    }

    /**
     * Converse's answer as the bot's: text blocks as messages, a call of {@value BedrockPrompt#TOOL} as the hand-over
     * with its reason. A guardrail's intervention or a filter's is a refusal (what the model would have said is not
     * sent); an answer cut at the token limit keeps its whole sentences; no text and no hand-over is malformed.
     */
    static BotAnswer answer(JsonNode root) {
        var stop = root.path("stopReason").asText("");
        switch (stop) {
            case "guardrail_intervened", "content_filtered" ->
                throw new BotException(BotFailure.REFUSED, "bedrock: stopped, " + stop);
            case "malformed_model_output", "malformed_tool_use" ->
                throw BotCalls.malformed("bedrock", "stopped, " + stop);
            default -> {
                // end_turn, stop_sequence, tool_use, max_tokens, and reasons newer than this client: the content.
            }
        }
        var content = root.path("output").path("message").path("content");
        if (!content.isArray()) {
            throw BotCalls.malformed("bedrock", "no output.message.content list");
        }
        var texts = new ArrayList<String>();
        String handover = null;
        for (var block : content) {
            if (block.path("text").isTextual() && !block.path("text").asText().isBlank()) {
                texts.add(block.path("text").asText().strip());
            } else if (block.path("toolUse").path("name").asText("").equals(BedrockPrompt.TOOL)) {
                var reason = block.path("toolUse").path("input").path("reason").asText("");
                handover = reason.isBlank() ? BedrockPrompt.TOOL : reason.strip();
            }
        }
        if (stop.equals("max_tokens") && !texts.isEmpty()) {
            texts.set(texts.size() - 1, wholeSentences(texts.getLast()));
        }
        if (texts.isEmpty() && handover == null) {
            throw BotCalls.malformed("bedrock", "neither text nor " + BedrockPrompt.TOOL + " (stopReason " + stop
                    + ")");
        }
        var usage = root.path("usage");
        return new BotAnswer(texts.stream().map(t -> new BotAnswer.Message(t, List.of())).toList(), handover,
                new BotAnswer.Usage(usage.path("inputTokens").asLong(0), usage.path("outputTokens").asLong(0)));
    }

    /** The text up to its last sentence's end, if that leaves most of it; else the text as it is. */
    static String wholeSentences(String text) {
        int end = -1;
        for (int i = 0; i < text.length(); i++) {
            if (".!?…。！？".indexOf(text.charAt(i)) >= 0) {
                end = i;
            }
        }
        return end >= text.length() / 2 ? text.substring(0, end + 1) : text;
    }
}
