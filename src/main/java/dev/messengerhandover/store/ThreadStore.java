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
import dev.messengerhandover.handover.ThreadState;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
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
    public ThreadStore(DynamoDbClient dynamo, HandoverConfig config) {
        this(dynamo, config.table(), config.threadTtl().toSeconds(), Clock.systemUTC());
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
        return new StoredThread(s, thread.version() + 1, thread.processed(), eventKey, untilMillis);
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
        var processed = new ArrayList<String>(thread.processed().size() + 1);
        if (eventKey != null && !thread.hasProcessed(eventKey)) {
            processed.add(eventKey);
        }
        processed.addAll(thread.processed().subList(0,
                Math.min(thread.processed().size(), StoredThread.PROCESSED_KEPT - processed.size())));
        long next = thread.version() + 1;
        var item = ThreadItems.encode(state, next, processed, clock.millis(), expiresAt());
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
        return new StoredThread(state, next, processed, null, 0);
    }

    private long expiresAt() {
        return clock.instant().getEpochSecond() + ttlSeconds;
    }
}
