package dev.messengerhandover.dev.bots;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * One HTTP exchange with a bot's backend, as the models take and give it: no server in here, so that the emulator
 * and the tests' stand-in can each put the models behind their own.
 */
public final class Wire {

    private Wire() {
    }

    /** A request as received: the raw (still encoded) path, headers by name, the body's bytes. */
    public record Request(String method, String path, Map<String, List<String>> headers, byte[] body) {
        public Request {
            headers = Map.copyOf(headers);
        }

        /** The first value of the header, whatever the case of its name. */
        public Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst();
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** An answer: status, headers, body, and how long the backend takes to give it (a slow model, a slow bot). */
    public record Response(int status, Map<String, String> headers, byte[] body, long delayMillis) {
        public Response {
            headers = Map.copyOf(headers);
        }

        public static Response json(int status, JsonNode body) {
            return new Response(status, Map.of("Content-Type", "application/json"),
                    body.toString().getBytes(StandardCharsets.UTF_8), 0);
        }

        public static Response text(int status, String contentType, String body) {
            return new Response(status, Map.of("Content-Type", contentType), body.getBytes(StandardCharsets.UTF_8),
                    0);
        }

        /**
         * AWS's REST-JSON error: the type in {@code x-amzn-ErrorType} (followed, as AWS does at times, by a colon and
         * the namespace), the message in the body.
         */
        public static Response awsError(int status, String type, String message) {
            var headers = new LinkedHashMap<String, String>();
            headers.put("Content-Type", "application/json");
            headers.put("x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.stand.in/");
            var body = JsonNodeFactory.instance.objectNode().put("message", message).toString();
            return new Response(status, headers, body.getBytes(StandardCharsets.UTF_8), 0);
        }

        public Response after(long millis) {
            return new Response(status, headers, body, delayMillis + millis);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }
}
