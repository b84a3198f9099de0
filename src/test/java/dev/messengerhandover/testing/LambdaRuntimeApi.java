package dev.messengerhandover.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.sun.net.httpserver.HttpExchange;

/**
 * The AWS Lambda Runtime API (version 2018-06-01) as the Lambda service offers it to a function process: the function
 * long-polls {@code /invocation/next}, then posts {@code /response} or {@code /error} for that request id. Point a
 * function at it with {@code AWS_LAMBDA_RUNTIME_API=host:port}, exactly as Lambda does.
 */
public final class LambdaRuntimeApi implements AutoCloseable {

    private static final String BASE = "/2018-06-01/runtime/";

    /** What the function answered: {@code error} is true for {@code /error} and {@code /init/error}. */
    public record Answer(String body, boolean error) {
    }

    /** An event waiting for the function; {@code taken} completes when the function takes it (its timeout starts). */
    private record Invocation(String requestId, String event, CompletableFuture<Void> taken) {
    }

    private final LocalHttpServer server;
    private final BlockingQueue<Invocation> pending = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<Answer>> answers = new ConcurrentHashMap<>();
    private final CompletableFuture<Long> firstPoll = new CompletableFuture<>();
    private volatile String initError;

    public LambdaRuntimeApi() {
        server = new LocalHttpServer("lambda-runtime-api", BASE, this::handle);
    }

    /** The value for {@code AWS_LAMBDA_RUNTIME_API}. */
    public String address() {
        return "127.0.0.1:" + server.port();
    }

    /** What the function posted to {@code /init/error} ({@code null}: nothing): what Lambda reports of a failed init. */
    public String initError() {
        return initError;
    }

    /** When the function first asked for work (its init phase is over), in {@link System#nanoTime()}. */
    public long awaitReady(Duration timeout) throws TimeoutException {
        return await(firstPoll, timeout);
    }

    /**
     * Queues one event and waits for the function's answer, {@code timeout} from when the function takes it (as
     * Lambda's own timeout runs from the invocation, not from the queue: Lambda would start another instance rather
     * than queue, so a busy instance's queue is not the function's time).
     */
    public Answer invoke(String event, Duration timeout) throws TimeoutException {
        var requestId = UUID.randomUUID().toString();
        var answer = new CompletableFuture<Answer>();
        answers.put(requestId, answer);
        var invocation = new Invocation(requestId, event, new CompletableFuture<>());
        pending.add(invocation);
        try {
            await(invocation.taken(), Duration.ofMinutes(5));
            return await(answer, timeout);
        } finally {
            answers.remove(requestId);
        }
    }

    private static <T> T await(CompletableFuture<T> future, Duration timeout) throws TimeoutException {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        server.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var path = exchange.getRequestURI().getPath().substring(BASE.length());
            var method = exchange.getRequestMethod();
            if (method.equals("GET") && path.equals("invocation/next")) {
                next(exchange);
            } else if (method.equals("POST") && path.equals("init/error")) {
                var error = read(exchange);
                initError = error;
                firstPoll.completeExceptionally(new IllegalStateException("init error: " + error));
                reply(exchange, 202, "{\"status\":\"OK\"}");
            } else if (method.equals("POST") && path.startsWith("invocation/")) {
                var parts = path.split("/");
                var future = answers.get(parts[1]);
                if (future == null || parts.length != 3) {
                    reply(exchange, 404, "{\"errorMessage\":\"unknown request id\",\"errorType\":\"InvalidRequestID\"}");
                    return;
                }
                future.complete(new Answer(read(exchange), parts[2].equals("error")));
                reply(exchange, 202, "{\"status\":\"OK\"}");
            } else {
                reply(exchange, 404, "{\"errorMessage\":\"not found\"}");
            }
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        firstPoll.complete(System.nanoTime());
        Invocation invocation;
        try {
            invocation = pending.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        invocation.taken().complete(null);
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json");
        headers.set("Lambda-Runtime-Aws-Request-Id", invocation.requestId());
        // The function's timeout in serverless.yml: 20 s, Messenger's own wait.
        headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + 20_000));
        headers.set("Lambda-Runtime-Invoked-Function-Arn",
                "arn:aws:lambda:us-east-1:123456789012:function:messenger-handover");
        headers.set("Lambda-Runtime-Trace-Id", "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000)
                + "-" + invocation.requestId().replace("-", "").substring(0, 24) + ";Sampled=0");
        reply(exchange, 200, invocation.event());
    }

    private static String read(HttpExchange exchange) throws IOException {
        return new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        LocalHttpServer.reply(exchange, status, body.getBytes(StandardCharsets.UTF_8));
    }
}
