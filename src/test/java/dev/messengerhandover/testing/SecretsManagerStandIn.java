package dev.messengerhandover.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

/**
 * An HTTP stand-in for AWS Secrets Manager's {@code GetSecretValue}, in its wire format (JSON 1.1,
 * {@code X-Amz-Target: secretsmanager.GetSecretValue}, {@code ResourceNotFoundException} for an unknown secret),
 * counting the reads. Secrets Manager cannot run here; this is what the AWS SDK client talks to in the tests.
 */
public final class SecretsManagerStandIn implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalHttpServer server;
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final AtomicInteger reads = new AtomicInteger();

    public SecretsManagerStandIn() {
        server = new LocalHttpServer("secrets-manager-stand-in", "/", this::handle);
    }

    public String url() {
        return server.url();
    }

    public void put(String name, String value) {
        secrets.put(name, value);
    }

    public int reads() {
        return reads.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            var request = JSON.readTree(exchange.getRequestBody().readAllBytes());
            if (!"secretsmanager.GetSecretValue".equals(target)) {
                reply(exchange, 400, "{\"__type\":\"UnknownOperationException\"}");
                return;
            }
            reads.incrementAndGet();
            var id = request.path("SecretId").asText();
            var value = secrets.get(id);
            if (value == null) {
                reply(exchange, 400, "{\"__type\":\"ResourceNotFoundException\","
                        + "\"message\":\"Secrets Manager can't find the specified secret.\"}");
                return;
            }
            var answer = JSON.createObjectNode().put("ARN", "arn:aws:secretsmanager:us-east-1:000000000000:secret:"
                    + id + "-AbCdEf").put("Name", id).put("SecretString", value).put("VersionId", "v1")
                    .put("CreatedDate", 1.7e9);
            answer.putArray("VersionStages").add("AWSCURRENT");
            reply(exchange, 200, answer.toString());
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
        LocalHttpServer.reply(exchange, status, body.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.close();
    }
}
