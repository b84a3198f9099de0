package dev.messengerhandover.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import dev.messengerhandover.config.HandoverConfig;
import dev.messengerhandover.http.ApiError;

/**
 * The operator API's one lock: off (404) unless {@code handover.admin-api-key} is set, and then every call needs that
 * key in {@code X-Api-Key}, compared in constant time.
 */
@ApplicationScoped
public class OperatorKey {

    public static final String HEADER = "X-Api-Key";

    private final HandoverConfig config;

    public OperatorKey(HandoverConfig config) {
        this.config = config;
    }

    /** The answer for a call with {@code apiKey}, or {@code null} when it may go on. */
    public Response refuse(String apiKey) {
        var expected = config.adminApiKey().filter(k -> !k.isBlank());
        if (expected.isEmpty()) {
            return ApiError.of(404, "not found");
        }
        if (apiKey == null || !MessageDigest.isEqual(apiKey.getBytes(StandardCharsets.UTF_8),
                expected.get().getBytes(StandardCharsets.UTF_8))) {
            return ApiError.of(401, "missing or wrong X-Api-Key");
        }
        return null;
    }
}
