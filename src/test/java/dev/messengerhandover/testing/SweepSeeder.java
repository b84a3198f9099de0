package dev.messengerhandover.testing;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import dev.messengerhandover.handover.Reason;
import dev.messengerhandover.handover.Speaker;
import dev.messengerhandover.handover.ThreadState;
import dev.messengerhandover.handover.ThreadState.Followup;
import dev.messengerhandover.handover.ThreadState.Line;
import dev.messengerhandover.handover.ThreadState.Queue;
import dev.messengerhandover.handover.ThreadState.Transition;
import dev.messengerhandover.handover.ThreadState.Waiting;
import dev.messengerhandover.handover.TransitionKind;
import dev.messengerhandover.store.ThreadItems;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Writes threads straight into the benchmark's table, item for item as the function writes them
 * ({@link ThreadItems#encode}): many the bot has, and waiting ones handed over at a given time. The sweep is then
 * measured on a table that size without a million conversations first.
 */
public final class SweepSeeder {

    static final String TABLE = "messenger-handover";
    static final String BOT = SampleEvents.APP_ID;
    static final String INBOX = GraphStandIn.INBOX_APP_ID;

    private final DynamoDbClient dynamo;
    private final AtomicLong users = new AtomicLong(7_100_000_000_000_000L);

    public SweepSeeder(String endpoint) {
        dynamo = DynamoDbClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** {@code n} threads the bot has: a greeting and an answer, nothing due. */
    public void idle(int n) throws Exception {
        long now = System.currentTimeMillis();
        write(n, user -> new ThreadState(SampleEvents.PAGE_ID, user, BOT, now - 3_600_000L, Reason.DEFAULT, 0, 0,
                now - 3_600_000L, lines(now - 3_600_000L), List.of()));
    }

    /** {@code n} threads handed over to the Page Inbox at {@code at}, nobody has answered yet: their users. */
    public List<String> waiting(int n, long at) throws Exception {
        return write(n, user -> new ThreadState(SampleEvents.PAGE_ID, user, INBOX, at, Reason.USER_ASKED,
                at + 24 * 3_600_000L, 0, at, lines(at), List.of(new Transition(at, TransitionKind.PASSED, BOT, INBOX,
                        Reason.USER_ASKED, null, 5_000L)),
                new Followup(new Waiting(at, Reason.USER_ASKED, false, false), 0, false, false, at + 600_000L,
                        Queue.WAITING)));
    }

    private static List<Line> lines(long at) {
        return List.of(new Line(at - 2_000, Speaker.USER, "hi"), new Line(at - 1_500, Speaker.BOT,
                "Hi! I'm the Page's assistant. Ask me about opening hours, delivery, returns or your order."),
                new Line(at - 1_000, Speaker.USER, "I'd like to talk to someone about my order please"));
    }

    private List<String> write(int n, java.util.function.Function<String, ThreadState> thread) throws Exception {
        var written = java.util.Collections.synchronizedList(new ArrayList<String>());
        long ttl = System.currentTimeMillis() / 1000 + 90 * 86_400L;
        var pool = Executors.newFixedThreadPool(8);
        try {
            var batches = new ArrayList<Future<?>>();
            for (int from = 0; from < n; from += 25) {
                int size = Math.min(25, n - from);
                batches.add(pool.submit(() -> {
                    var requests = new ArrayList<WriteRequest>(size);
                    for (int i = 0; i < size; i++) {
                        var user = Long.toString(users.incrementAndGet());
                        written.add(user);
                        Map<String, AttributeValue> item = ThreadItems.encode(thread.apply(user), 1,
                                List.of("mid:m_" + user), System.currentTimeMillis(), ttl);
                        requests.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build())
                                .build());
                    }
                    Map<String, List<WriteRequest>> pending = Map.of(TABLE, requests);
                    while (!pending.isEmpty()) {
                        var batch = pending;
                        var answer = dynamo.batchWriteItem(r -> r.requestItems(batch));
                        pending = answer.hasUnprocessedItems() ? answer.unprocessedItems() : Map.of();
                    }
                }));
            }
            for (var b : batches) {
                try {
                    b.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("seeding failed", e.getCause());
                }
            }
        } finally {
            pool.shutdown();
        }
        return written.stream().sorted().toList();
    }
}
