package dev.messengerhandover.store;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The queue index's last key as an opaque, URL-safe page token, and back: checked to be of the queue asked for. */
public final class QueueTokens {

    private static final ObjectMapper JSON = new ObjectMapper();

    private QueueTokens() {
    }

    static String encode(Map<String, AttributeValue> key) {
        var json = JSON.createObjectNode().put("pk", key.get(ThreadItems.PK).s())
                .put("sk", key.get(ThreadItems.SK).s()).put("q", key.get(ThreadItems.QUEUE).s())
                .put("t", Long.parseLong(key.get(ThreadItems.QUEUE_SINCE).n()));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A {@code next} that is not a page token of the queue asked for. */
    public static final class BadToken extends IllegalArgumentException {
        BadToken() {
            super("next is not a page of this queue");
        }
    }

    /** The key a token names; {@link BadToken} when it is not one of {@code queueKey}'s. */
    static Map<String, AttributeValue> decode(String token, String queueKey) {
        JsonNode json;
        try {
            json = JSON.readTree(Base64.getUrlDecoder().decode(token));
        } catch (IllegalArgumentException | java.io.IOException e) {
            json = null;
        }
        if (json == null || !json.path("pk").isTextual() || !ThreadItems.STATE_SK.equals(json.path("sk").asText(null))
                || !json.path("t").canConvertToLong() || !queueKey.equals(json.path("q").asText(null))) {
            throw new BadToken();
        }
        try {
            ThreadItems.threadKey(json.path("pk").asText());
        } catch (IllegalArgumentException notAThread) {
            throw new BadToken();
        }
        var key = new HashMap<String, AttributeValue>();
        key.put(ThreadItems.PK, AttributeValue.fromS(json.path("pk").asText()));
        key.put(ThreadItems.SK, AttributeValue.fromS(json.path("sk").asText()));
        key.put(ThreadItems.QUEUE, AttributeValue.fromS(queueKey));
        key.put(ThreadItems.QUEUE_SINCE, AttributeValue.fromN(Long.toString(json.path("t").asLong())));
        return key;
    }
}
