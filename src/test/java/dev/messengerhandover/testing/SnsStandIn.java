package dev.messengerhandover.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.sun.net.httpserver.HttpExchange;

import dev.messengerhandover.dev.platform.SnsTopic;

/** An HTTP stand-in for Amazon SNS's {@code Publish} on one topic ({@link SnsTopic} speaks the wire format). */
public final class SnsStandIn implements AutoCloseable {

    public static final String TOPIC_ARN = "arn:aws:sns:us-east-1:000000000000:messenger-handover-test-alerts";

    private final LocalHttpServer server;
    private final SnsTopic topic = new SnsTopic(TOPIC_ARN);

    public SnsStandIn() {
        server = new LocalHttpServer("sns-stand-in", "/", this::handle);
    }

    public String url() {
        return server.url();
    }

    public List<SnsTopic.Published> published() {
        return topic.published();
    }

    public void clear() {
        topic.clear();
    }

    public void down(boolean isDown) {
        topic.down(isDown);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            var answer = topic.handle(exchange.getRequestHeaders().getFirst("Authorization"), body);
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
            LocalHttpServer.reply(exchange, answer.status(), answer.body().getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
