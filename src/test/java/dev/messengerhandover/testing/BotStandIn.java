package dev.messengerhandover.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

import com.sun.net.httpserver.HttpExchange;

import dev.messengerhandover.dev.bots.BedrockRuntimeModel;
import dev.messengerhandover.dev.bots.HttpBotModel;
import dev.messengerhandover.dev.bots.LexRuntimeModel;
import dev.messengerhandover.dev.bots.Wire;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * The three bots' backends over HTTP, on one local server: Lex V2's runtime ({@code /bots/...}), Bedrock's runtime
 * ({@code /model/...}) and a team's own bot (any other path, {@link #httpBotUrl()}), each its model from the dev
 * tooling ({@link LexRuntimeModel}, {@link BedrockRuntimeModel}, {@link HttpBotModel}), which the emulator runs too.
 * AWS's two check SigV4 against {@link #CREDENTIALS}; the HTTP bot checks its signature against
 * {@link #HTTP_SECRET}. Every request is recorded; {@link #latency} slows every answer.
 */
public final class BotStandIn implements AutoCloseable {

    /**
     * The static credentials the AWS stand-ins take: the ones {@link Platform} gives the function in tests
     * ({@code aws.accessKeyId}, {@code aws.secretAccessKey}), so a {@code @QuarkusTest} signs with them too.
     */
    public static final AwsBasicCredentials CREDENTIALS = AwsBasicCredentials.create("test", "test");
    public static final String HTTP_SECRET = "test-http-bot-secret";
    public static final String REGION = "us-east-1";
    public static final String LEX_BOT_ID = "LEXBOT0001";
    public static final String LEX_ALIAS_ID = "TSTALIASID";
    public static final String LEX_LOCALE_ID = "en_US";
    public static final String LEX_HANDOFF_INTENT = "TalkToPerson";
    public static final String HTTP_BOT_PATH = "/hook";

    /**
     * One request as the stand-in received it, and the status it answered; when it came ({@link System#nanoTime}) and
     * how long the stand-in took to answer it, on purpose.
     */
    public record Received(String backend, Wire.Request request, int status, long atNanos, long delayMillis) {
        /** When the answer was due to leave ({@link System#nanoTime}). */
        public long answerDueNanos() {
            return atNanos + delayMillis * 1_000_000;
        }
    }

    private final LocalHttpServer server;
    private final HttpBotModel http = new HttpBotModel(HTTP_SECRET);
    private final LexRuntimeModel lex = new LexRuntimeModel(LEX_BOT_ID, LEX_ALIAS_ID, LEX_LOCALE_ID,
            LEX_HANDOFF_INTENT, CREDENTIALS);
    private final BedrockRuntimeModel bedrock = new BedrockRuntimeModel(CREDENTIALS);
    private final List<Received> received = new ArrayList<>();
    private volatile long latencyMillis;

    public BotStandIn() {
        server = new LocalHttpServer("bot-stand-in", "/", this::handle);
    }

    public String url() {
        return server.url();
    }

    public String httpBotUrl() {
        return server.url() + HTTP_BOT_PATH;
    }

    public HttpBotModel http() {
        return http;
    }

    public LexRuntimeModel lex() {
        return lex;
    }

    public BedrockRuntimeModel bedrock() {
        return bedrock;
    }

    /** Every answer waits this long more. */
    public void latency(long millis) {
        latencyMillis = millis;
    }

    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    public void clear() {
        http.clear();
        lex.clear();
        bedrock.clear();
        latencyMillis = 0;
        synchronized (received) {
            received.clear();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var headers = new LinkedHashMap<String, List<String>>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
            long at = System.nanoTime();
            var path = exchange.getRequestURI().getRawPath();
            var request = new Wire.Request(exchange.getRequestMethod(), path, headers,
                    exchange.getRequestBody().readAllBytes());
            var backend = path.startsWith("/bots/") ? "lex" : path.startsWith("/model/") ? "bedrock" : "http";
            var response = switch (backend) {
                case "lex" -> lex.handle(request);
                case "bedrock" -> bedrock.handle(request);
                default -> http.handle(request);
            };
            long wait = latencyMillis + response.delayMillis();
            synchronized (received) {
                received.add(new Received(backend, request, response.status(), at, wait));
            }
            if (wait > 0) {
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            response.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            try {
                LocalHttpServer.reply(exchange, response.status(), response.body());
            } catch (IOException e) {
                // The client gave up waiting (its deadline): nobody to answer.
            }
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
