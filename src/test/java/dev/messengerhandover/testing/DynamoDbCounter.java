package dev.messengerhandover.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

/**
 * An HTTP proxy in front of DynamoDB (Local) that counts what a function really asks of it: requests per operation
 * ({@code X-Amz-Target}) and the capacity units each one costs. The function does not ask for its consumed capacity
 * (nothing of it would read the answer), so the proxy adds {@code "ReturnConsumedCapacity":"INDEXES"} to each request
 * on its way through (DynamoDB Local does not check the signature over the body) and reads the units from the
 * answer. Measured from outside the function, so the cost figures do not depend on the function's own bookkeeping.
 */
public final class DynamoDbCounter implements AutoCloseable {

    /**
     * Counts since the last {@link #reset()}; {@code storageMillis} is the time DynamoDB (Local) and this proxy took to
     * answer them, from the request read to the answer written: the part of a function's latency that is storage's.
     */
    public record Counts(Map<String, Long> requests, double readUnits, double writeUnits, double indexWriteUnits,
            double storageMillis) {
        public long of(String operation) {
            return requests.getOrDefault(operation, 0L);
        }

        public long reads() {
            return READS.stream().mapToLong(this::of).sum();
        }

        public long writes() {
            return of("PutItem") + of("UpdateItem") + of("DeleteItem") + of("BatchWriteItem");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> HOP_HEADERS = Set.of("host", "content-length", "connection", "expect",
            "upgrade", "transfer-encoding");
    private static final Set<String> READS = Set.of("GetItem", "Query", "Scan", "BatchGetItem");

    private final String target;
    private final LocalHttpServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final DoubleAdder readUnits = new DoubleAdder();
    private final DoubleAdder writeUnits = new DoubleAdder();
    /** Of the write units, those the global secondary indexes took (DynamoDB Local reports them per index). */
    private final DoubleAdder indexWriteUnits = new DoubleAdder();
    private final LongAdder storageNanos = new LongAdder();

    public DynamoDbCounter(String targetEndpoint) {
        this.target = targetEndpoint;
        server = new LocalHttpServer("dynamodb-counter", "/", this::forward);
    }

    public String endpoint() {
        return server.url();
    }

    public void reset() {
        requests.clear();
        readUnits.reset();
        writeUnits.reset();
        indexWriteUnits.reset();
        storageNanos.reset();
    }

    public Counts counts() {
        var copy = new java.util.TreeMap<String, Long>();
        requests.forEach((op, n) -> copy.put(op, n.sum()));
        return new Counts(copy, readUnits.sum(), writeUnits.sum(), indexWriteUnits.sum(), storageNanos.sum() / 1e6);
    }

    @Override
    public void close() {
        server.close();
    }

    private static byte[] withConsumedCapacity(byte[] body) throws IOException {
        if (body.length == 0) {
            return body;
        }
        var json = JSON.readTree(body);
        if (!json.isObject() || !json.has("TableName")) {
            return body;
        }
        ((com.fasterxml.jackson.databind.node.ObjectNode) json).put("ReturnConsumedCapacity", "INDEXES");
        return JSON.writeValueAsBytes(json);
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            var body = withConsumedCapacity(exchange.getRequestBody().readAllBytes());
            long started = System.nanoTime();
            var request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase())) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            HttpResponse<byte[]> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            var amzTarget = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            var operation = amzTarget == null ? "?" : amzTarget.substring(amzTarget.indexOf('.') + 1);
            requests.computeIfAbsent(operation, k -> new LongAdder()).increment();
            if (response.statusCode() == 200 && response.body().length > 0) {
                var consumed = JSON.readTree(response.body()).path("ConsumedCapacity");
                // BatchGetItem answers a list, one per table.
                for (var c : consumed.isArray() ? consumed : JSON.createArrayNode().add(consumed)) {
                    var units = c.path("CapacityUnits");
                    if (units.isNumber()) {
                        (READS.contains(operation) ? readUnits : writeUnits).add(units.asDouble());
                    }
                    if (!READS.contains(operation)) {
                        c.path("GlobalSecondaryIndexes").forEach(i -> indexWriteUnits.add(i.path("CapacityUnits")
                                .asDouble()));
                    }
                }
            }
            response.headers().map().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase()) && !name.startsWith(":")) {
                    values.forEach(v -> exchange.getResponseHeaders().add(name, v));
                }
            });
            LocalHttpServer.reply(exchange, response.statusCode(), response.body());
            storageNanos.add(System.nanoTime() - started);
        }
    }
}
