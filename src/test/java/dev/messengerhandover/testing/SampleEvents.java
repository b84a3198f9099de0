package dev.messengerhandover.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.messengerhandover.webhook.SignatureVerifier;

/**
 * The sample API Gateway (HTTP API, payload 2.0) events under {@code src/test/resources/events}, the ones
 * {@code sam local invoke -e} takes. Their POST bodies are signed with {@link #APP_SECRET}, the app secret of
 * {@code events/env.json}; {@link #sign()} rewrites the signature headers after a body was edited.
 */
public final class SampleEvents {

    public static final Path DIR = Path.of("src/test/resources/events");
    public static final String APP_SECRET = "sample-app-secret";
    public static final String VERIFY_TOKEN = "sample-verify-token";
    public static final String PAGE_TOKEN = "sample-page-token";
    public static final String ADMIN_KEY = "sample-admin-key";
    public static final String APP_ID = "1000000000000001";
    public static final String PAGE_ID = "200000000000002";
    public static final String USER = "7000000000000042";
    /** The sample Page's linked Instagram account, and a user of it (an IGSID). */
    public static final String INSTAGRAM_ID = "17841400000000042";
    public static final String INSTAGRAM_USER = "8000000000000042";
    /**
     * The sample WhatsApp Business number (Meta's own example ids): its phone number id, the number users see, its
     * WhatsApp Business Account (each delivery's {@code entry[].id}), and a user of it (a {@code wa_id}).
     */
    public static final String WHATSAPP_NUMBER_ID = "106540352242922";
    public static final String WHATSAPP_DISPLAY_NUMBER = "15550783881";
    public static final String WABA_ID = "102290129340398";
    public static final String WA_USER = "16505551234";

    /** The handoff as a Page owner would replay it, in this order. */
    public static final List<String> FLOW = List.of("verify-webhook", "user-message", "talk-to-person",
            "standby-message", "done", "operator-status");

    /**
     * The handoff on the sample WhatsApp number: the user writes, taps the reply button "Talk to a person", the
     * helpdesk's Done passes the thread back. Not in {@link #FLOW}: the function does not serve WhatsApp yet.
     */
    public static final List<String> WHATSAPP = List.of("whatsapp-message", "whatsapp-talk-to-person",
            "whatsapp-control-passed");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SignatureVerifier SIGNER = new SignatureVerifier(APP_SECRET);
    private static final Pattern SIGNATURE = Pattern.compile("(\"x-hub-signature-256\"\\s*:\\s*\")([^\"]*)(\")");

    private SampleEvents() {
    }

    public static String raw(String name) {
        try {
            return Files.readString(DIR.resolve(name + ".json"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** When the samples' conversation happened: their first event's time. */
    static final long WRITTEN_AT = 1_764_064_800_000L;

    /**
     * The sample as Messenger (or WhatsApp) would deliver it now: every {@code time} and {@code timestamp} of its body
     * moved by the time since {@link #WRITTEN_AT} (their order and spacing kept; WhatsApp's, strings of seconds, stay
     * strings of seconds), and the body signed again. The samples on disk keep the times they were written at; a user
     * replaying them days later is outside the messaging window, where the bot rightly does not answer.
     */
    public static String fresh(String name, long now) {
        var event = (com.fasterxml.jackson.databind.node.ObjectNode) json(name);
        if (!event.hasNonNull("body")) {
            return raw(name);
        }
        try {
            var body = JSON.readTree(event.path("body").asText());
            retime(body, now - WRITTEN_AT);
            var text = Messenger.escapeNonAscii(body.toString());
            event.put("body", text);
            ((com.fasterxml.jackson.databind.node.ObjectNode) event.path("headers")).put("x-hub-signature-256",
                    SIGNER.header(text.getBytes(StandardCharsets.UTF_8)));
            return event.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void retime(JsonNode node, long shift) {
        if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
            for (var field : List.of("time", "timestamp")) {
                if (object.path(field).isNumber()) {
                    object.put(field, object.path(field).asLong() + shift);
                } else if (object.path(field).isTextual() && object.path(field).asText().matches("[0-9]{9,11}")) {
                    object.put(field, Long.toString(Long.parseLong(object.path(field).asText()) + shift / 1000));
                }
            }
        }
        node.forEach(child -> retime(child, shift));
    }

    public static JsonNode json(String name) {
        try {
            return JSON.readTree(raw(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<String> names() {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json") && !n.equals("env.json"))
                    .map(n -> n.substring(0, n.length() - ".json".length())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The settings a Page owner gives the function, as in {@code events/env.json}, pointed at a local DynamoDB and
     * Graph stand-in. A fresh, mutable map.
     */
    public static Map<String, String> environment(String dynamoEndpoint, String graphUrl) {
        var env = new HashMap<String, String>();
        env.put("MESSENGER_VERIFY_TOKEN", VERIFY_TOKEN);
        env.put("MESSENGER_APP_SECRET", APP_SECRET);
        env.put("MESSENGER_PAGE_ACCESS_TOKEN", PAGE_TOKEN);
        env.put("MESSENGER_INSTAGRAM_ID", INSTAGRAM_ID);
        env.put("MESSENGER_APP_ID", APP_ID);
        env.put("HANDOVER_TABLE", "messenger-handover");
        env.put("HANDOVER_ADMIN_API_KEY", ADMIN_KEY);
        env.put("QUARKUS_DYNAMODB_ENDPOINT_OVERRIDE", dynamoEndpoint);
        env.put("QUARKUS_REST_CLIENT_GRAPH_API_URL", graphUrl);
        return env;
    }

    /**
     * A signed {@code POST /webhook} with this body, as API Gateway hands it to the function (HTTP API, payload 2.0),
     * shaped like the {@code user-message} sample.
     */
    public static String webhook(String body) {
        var event = JSON.createObjectNode();
        event.put("version", "2.0").put("routeKey", "POST /webhook").put("rawPath", "/webhook")
                .put("rawQueryString", "");
        event.putObject("headers").put("content-type", "application/json")
                .put("x-hub-signature-256", SIGNER.header(body.getBytes(StandardCharsets.UTF_8)));
        var context = event.putObject("requestContext");
        context.putObject("http").put("method", "POST").put("path", "/webhook").put("protocol", "HTTP/1.1")
                .put("sourceIp", "173.252.127.116").put("userAgent", "facebookexternalua");
        context.put("requestId", java.util.UUID.randomUUID().toString()).put("routeKey", "POST /webhook")
                .put("stage", "$default").put("timeEpoch", System.currentTimeMillis());
        event.put("body", body).put("isBase64Encoded", false);
        return event.toString();
    }

    /** The {@code operator-status} sample for another user of the sample Page. */
    public static String operatorStatus(String userId) {
        return raw("operator-status").replace(USER, userId);
    }

    /** The {@code operator-status} sample for a user of another account (the Page's Instagram account). */
    public static String operatorStatus(String accountId, String userId) {
        return operatorStatus(userId).replace(PAGE_ID, accountId);
    }

    /** The signature Messenger would send for this event's body. */
    public static String expectedSignature(JsonNode event) {
        return SIGNER.header(event.path("body").asText().getBytes(StandardCharsets.UTF_8));
    }

    /** Rewrites the {@code x-hub-signature-256} header of every sample that has a body; returns the files changed. */
    public static List<String> sign() {
        return names().stream().filter(name -> {
            var event = json(name);
            if (!event.has("body")) {
                return false;
            }
            var text = raw(name);
            var signed = SIGNATURE.matcher(text)
                    .replaceFirst(m -> Matcher.quoteReplacement(m.group(1) + expectedSignature(event) + m.group(3)));
            if (signed.equals(text)) {
                return false;
            }
            try {
                Files.writeString(DIR.resolve(name + ".json"), signed, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return true;
        }).toList();
    }
}
