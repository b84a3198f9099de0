package dev.messengerhandover.store;

import static dev.messengerhandover.store.ThreadItems.CLAIM_KEY;
import static dev.messengerhandover.store.ThreadItems.CLAIM_TOKEN;
import static dev.messengerhandover.store.ThreadItems.CLAIM_UNTIL;
import static dev.messengerhandover.store.ThreadItems.TTL_ATTRIBUTE;
import static dev.messengerhandover.store.ThreadItems.VERSION;
import static dev.messengerhandover.store.ThreadItems.n;
import static dev.messengerhandover.store.ThreadItems.num;
import static dev.messengerhandover.store.ThreadItems.str;
import static dev.messengerhandover.store.ThreadItems.string;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.messengerhandover.config.HandoverConfig;
import dev.messengerhandover.handover.Step;
import dev.messengerhandover.handover.ThreadState;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Threads in one DynamoDB table, one item per thread (layout in {@link ThreadItems}). Every write is conditional on the
 * version that was read, so two instances handling the same thread never both win. Items expire through the
 * {@code expiresAt} TTL attribute when a thread has been quiet for {@code handover.thread-ttl}.
 */
@ApplicationScoped
public class ThreadStore {

    private static final Map<String, String> VERSION_NAME = Map.of("#version", VERSION);

    private final DynamoDbClient dynamo;
    private final String table;
    private final long ttlSeconds;
    private final Clock clock;

    @Inject
    public ThreadStore(DynamoDbClient dynamo, HandoverConfig config, Clock clock) {
        this(dynamo, config.table(), config.threadTtl().toSeconds(), clock);
    }

    ThreadStore(DynamoDbClient dynamo, String table, long ttlSeconds, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.ttlSeconds = ttlSeconds;
        this.clock = clock;
    }

    /** The thread as stored (strongly consistent read), or the bot-owned initial state when there is no item. */
    public StoredThread load(String pageId, String userId, String botAppId) {
        try {
            var answer = dynamo.getItem(r -> r.tableName(table).key(ThreadItems.key(pageId, userId))
                    .consistentRead(true));
            if (!answer.hasItem() || answer.item().isEmpty()) {
                return new StoredThread(ThreadState.initial(pageId, userId, botAppId), 0, List.of(), null, 0);
            }
            return ThreadItems.decode(answer.item(), pageId, userId, botAppId);
        } catch (SdkException | UncheckedIOException e) {
            throw new StorageException("reading thread failed", e);
        }
    }

    /** Reads an item no thread uses: loads the SDK's request pipeline before the first delivery needs it. */
    public void prime() {
        dynamo.getItem(r -> r.tableName(table).key(ThreadItems.key("priming", "priming")));
    }

    /**
     * Marks the thread as busy with {@code eventKey} until {@code untilMillis}, so that a concurrent delivery of the
     * same thread waits instead of making the same Graph calls.
     */
    public StoredThread claim(StoredThread thread, String eventKey, long untilMillis) throws ConflictException {
        var s = thread.state();
        var values = new HashMap<String, AttributeValue>();
        values.put(":next", n(thread.version() + 1));
        values.put(":key", str(eventKey));
        values.put(":until", n(untilMillis));
        values.put(":expires", n(expiresAt()));
        // Tells this attempt's claim from a concurrent copy's with the same event key and time (see isOwnClaim).
        var token = UUID.randomUUID().toString();
        values.put(":token", str(token));
        String condition;
        if (thread.exists()) {
            values.put(":v", n(thread.version()));
            condition = "#version = :v";
        } else {
            condition = "attribute_not_exists(pk)";
        }
        try {
            dynamo.updateItem(r -> r.tableName(table).key(ThreadItems.key(s.pageId(), s.userId()))
                    .updateExpression("SET #version = :next, " + CLAIM_KEY + " = :key, " + CLAIM_UNTIL + " = :until, "
                            + CLAIM_TOKEN + " = :token, " + TTL_ATTRIBUTE + " = :expires")
                    .conditionExpression(condition)
                    .expressionAttributeNames(VERSION_NAME)
                    .expressionAttributeValues(values)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
        } catch (ConditionalCheckFailedException e) {
            if (!isOwnClaim(e, thread.version() + 1, token)) {
                throw new ConflictException();
            }
        } catch (SdkException | UncheckedIOException e) {
            throw new StorageException("claiming thread failed", e);
        }
        return new StoredThread(s, thread.version() + 1, thread.processed(), eventKey, untilMillis, thread.pending());
    }

    /**
     * The SDK retries a write whose answer was lost (connection reset, time-out); when the first attempt had gone
     * through, the retry fails its condition against our own claim. Recognised by the item it hit, that claim is ours.
     */
    private static boolean isOwnClaim(ConditionalCheckFailedException e, long version, String token) {
        if (!e.hasItem()) {
            return false;
        }
        var item = e.item();
        return num(item, VERSION) == version && token.equals(string(item, CLAIM_TOKEN));
    }

    /**
     * Writes {@code state} as the thread's new state, remembers {@code eventKey} as applied and drops any claim; fails
     * with {@link ConflictException} when the item is no longer at {@code thread}'s version.
     */
    public StoredThread save(StoredThread thread, ThreadState state, String eventKey) throws ConflictException {
        return write(thread, state, eventKey, null, List.of());
    }

    /**
     * Writes what the event {@code key} got done ({@code state}) and the steps it left undone, kept with its key for
     * whoever visits the thread next (the redelivery, the next delivery, the sweep); the event is not applied yet.
     */
    public StoredThread savePending(StoredThread thread, ThreadState state, String key, List<Step> left)
            throws ConflictException {
        return write(thread, state, null, key, left);
    }

    private StoredThread write(StoredThread thread, ThreadState state, String eventKey, String pendingKey,
            List<Step> pending) throws ConflictException {
        var processed = new ArrayList<String>(thread.processed().size() + 1);
        if (eventKey != null && !thread.hasProcessed(eventKey)) {
            processed.add(eventKey);
        }
        processed.addAll(thread.processed().subList(0,
                Math.min(thread.processed().size(), StoredThread.PROCESSED_KEPT - processed.size())));
        long next = thread.version() + 1;
        var item = ThreadItems.encode(state, next, processed, clock.millis(), expiresAt(), pendingKey, pending);
        try {
            dynamo.putItem(r -> {
                r.tableName(table).item(item);
                if (thread.exists()) {
                    r.conditionExpression("#version = :v").expressionAttributeNames(VERSION_NAME)
                            .expressionAttributeValues(Map.of(":v", n(thread.version())));
                } else {
                    r.conditionExpression("attribute_not_exists(pk)");
                }
            });
        } catch (ConditionalCheckFailedException e) {
            throw new ConflictException();
        } catch (SdkException | UncheckedIOException e) {
            throw new StorageException("writing thread failed", e);
        }
        return pending.isEmpty() ? new StoredThread(state, next, processed, null, 0)
                : new StoredThread(state, next, processed, pendingKey, 0, pending);
    }

    /** A thread found in an index: its entry id and user. */
    public record ThreadKey(String pageId, String userId) {
    }

    /** A page of the due index: the threads, and where the next page starts ({@code null}: no more). */
    public record DuePage(List<ThreadKey> threads, Cursor next) {
    }

    /** Where a query goes on: opaque to callers. */
    public static final class Cursor {
        private final Map<String, AttributeValue> key;

        private Cursor(Map<String, AttributeValue> key) {
            this.key = key;
        }
    }

    /**
     * The threads of {@code accountId} with something due by {@code nowMillis}, earliest first, from the sparse due
     * index (eventually consistent: the caller reads each thread again before acting).
     */
    public DuePage due(String accountId, long nowMillis, int limit, Cursor from) {
        try {
            var answer = dynamo.query(r -> {
                r.tableName(table).indexName(ThreadItems.DUE_INDEX)
                        .keyConditionExpression("#account = :account AND #due <= :now")
                        .expressionAttributeNames(Map.of("#account", ThreadItems.DUE_ACCOUNT, "#due",
                                ThreadItems.DUE_AT))
                        .expressionAttributeValues(Map.of(":account", str(accountId), ":now", n(nowMillis)))
                        .limit(limit);
                if (from != null) {
                    r.exclusiveStartKey(from.key);
                }
            });
            var keys = answer.items().stream().map(ThreadStore::threadKey).toList();
            return new DuePage(keys, answer.hasLastEvaluatedKey() && !answer.lastEvaluatedKey().isEmpty()
                    ? new Cursor(answer.lastEvaluatedKey()) : null);
        } catch (SdkException | UncheckedIOException e) {
            throw new StorageException("querying the due index failed", e);
        }
    }

    /**
     * One page of an operator queue, oldest first: the queue index gives the keys, one {@code BatchGetItem} the
     * threads (strongly consistent, in the index's order). {@code next} is the token of the page before's
     * {@link QueuePage#next}; throws {@link QueueTokens.BadToken} for a token not of this queue.
     */
    public QueuePage queue(String accountId, ThreadState.Queue queue, int limit, String next, String botAppId) {
        var queueKey = ThreadItems.queueKey(accountId, queue);
        var from = next == null ? null : QueueTokens.decode(next, queueKey);
        try {
            var answer = dynamo.query(r -> {
                r.tableName(table).indexName(ThreadItems.QUEUE_INDEX)
                        .keyConditionExpression("#queue = :queue")
                        .expressionAttributeNames(Map.of("#queue", ThreadItems.QUEUE))
                        .expressionAttributeValues(Map.of(":queue", str(queueKey)))
                        .limit(limit);
                if (from != null) {
                    r.exclusiveStartKey(from);
                }
            });
            var keys = answer.items().stream().map(ThreadStore::threadKey).toList();
            var last = answer.hasLastEvaluatedKey() && !answer.lastEvaluatedKey().isEmpty()
                    ? QueueTokens.encode(answer.lastEvaluatedKey()) : null;
            return new QueuePage(read(keys, botAppId), last);
        } catch (SdkException | UncheckedIOException e) {
            throw new StorageException("querying the queue index failed", e);
        }
    }

    /** A page of a queue's threads, and the token of the next page ({@code null}: the last). */
    public record QueuePage(List<StoredThread> threads, String next) {
    }

    /** The threads of {@code keys}, in their order; a thread gone meanwhile (TTL) is left out. */
    private List<StoredThread> read(List<ThreadKey> keys, String botAppId) {
        var found = new HashMap<String, Map<String, AttributeValue>>();
        var pending = new ArrayList<Map<String, AttributeValue>>();
        keys.forEach(k -> pending.add(ThreadItems.key(k.pageId(), k.userId())));
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            if (attempt == 5) {
                throw new StorageException("reading the queue's threads failed: keys left unprocessed", null);
            }
            if (attempt > 0) {
                // Unprocessed keys: DynamoDB is throttling; back off a little before asking again.
                try {
                    Thread.sleep(50L << attempt);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StorageException("interrupted while reading the queue's threads", e);
                }
            }
            var batch = List.copyOf(pending.subList(0, Math.min(100, pending.size())));
            var answer = dynamo.batchGetItem(r -> r.requestItems(Map.of(table, KeysAndAttributes.builder()
                    .keys(batch).consistentRead(true).build())));
            answer.responses().getOrDefault(table, List.of()).forEach(item -> found.put(item.get(ThreadItems.PK).s(),
                    item));
            pending.subList(0, batch.size()).clear();
            var unprocessed = answer.unprocessedKeys().get(table);
            if (unprocessed != null && unprocessed.hasKeys()) {
                pending.addAll(unprocessed.keys());
            }
        }
        var threads = new ArrayList<StoredThread>();
        for (var k : keys) {
            var item = found.get(ThreadItems.key(k.pageId(), k.userId()).get(ThreadItems.PK).s());
            if (item != null) {
                threads.add(ThreadItems.decode(item, k.pageId(), k.userId(), botAppId));
            }
        }
        return threads;
    }

    private static ThreadKey threadKey(Map<String, AttributeValue> item) {
        return ThreadItems.threadKey(item.get(ThreadItems.PK).s());
    }

    private long expiresAt() {
        return clock.instant().getEpochSecond() + ttlSeconds;
    }
}
