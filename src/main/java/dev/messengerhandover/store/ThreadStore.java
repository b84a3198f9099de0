package dev.messengerhandover.store;

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
import dev.messengerhandover.handover.ThreadState.Line;
import dev.messengerhandover.handover.ThreadState.Transition;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Threads in one DynamoDB table, one item per thread ({@code pk = THREAD#<pageId>#<userId>}, {@code sk = STATE}):
 * owner, since, reason, transcript, history, the keys of recent events and the optimistic-lock {@code version}. Every
 * write is conditional on the version that was read, so two instances handling the same thread never both win.
 * Items expire through the {@code expiresAt} TTL attribute when a thread has been quiet for {@code handover.thread-ttl}.
 */
@ApplicationScoped
public class ThreadStore {

    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String TTL_ATTRIBUTE = "expiresAt";
    static final String STATE_SK = "STATE";
    /** Set by a claim, gone with the next full write of the thread. */
    static final String CLAIM_TOKEN = "claimToken";

    private final DynamoDbClient dynamo;
    private final String table;
    private final long ttlSeconds;
    private final StoreMetrics metrics;
    private final Clock clock;

    @Inject
    public ThreadStore(DynamoDbClient dynamo, HandoverConfig config, StoreMetrics metrics) {
        this(dynamo, config.table(), config.threadTtl().toSeconds(), metrics, Clock.systemUTC());
    }

    ThreadStore(DynamoDbClient dynamo, String table, long ttlSeconds, StoreMetrics metrics, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.ttlSeconds = ttlSeconds;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** The thread as stored (strongly consistent read), or the bot-owned initial state when there is no item. */
    public StoredThread load(String pageId, String userId, String botAppId) {
        try {
            var answer = dynamo.getItem(r -> r.tableName(table).key(key(pageId, userId)).consistentRead(true)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            metrics.read(answer.consumedCapacity());
            if (!answer.hasItem() || answer.item().isEmpty()) {
                return new StoredThread(ThreadState.initial(pageId, userId, botAppId), 0, List.of(), null, 0);
            }
            return decode(answer.item(), pageId, userId, botAppId);
        } catch (SdkException | UncheckedIOException e) {
            throw new StorageException("reading thread failed", e);
        }
    }

    /** Reads an item no thread uses: loads the SDK's request pipeline before the first delivery needs it. */
    public void prime() {
        dynamo.getItem(r -> r.tableName(table).key(key("priming", "priming")));
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
            var answer = dynamo.updateItem(r -> r.tableName(table).key(key(s.pageId(), s.userId()))
                    .updateExpression("SET #version = :next, claimKey = :key, claimUntil = :until, "
                            + CLAIM_TOKEN + " = :token, " + TTL_ATTRIBUTE + " = :expires")
                    .conditionExpression(condition)
                    .expressionAttributeNames(Map.of("#version", "version"))
                    .expressionAttributeValues(values)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            metrics.write(answer.consumedCapacity());
        } catch (ConditionalCheckFailedException e) {
            metrics.write(null); // a refused conditional write is still billed
            if (!isOwnClaim(e, thread.version() + 1, token)) {
                metrics.conflict();
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
        return num(item, "version") == version && token.equals(string(item, CLAIM_TOKEN));
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
        var item = encode(state, next, processed);
        try {
            var answer = dynamo.putItem(r -> {
                r.tableName(table).item(item).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
                if (thread.exists()) {
                    r.conditionExpression("#version = :v").expressionAttributeNames(Map.of("#version", "version"))
                            .expressionAttributeValues(Map.of(":v", n(thread.version())));
                } else {
                    r.conditionExpression("attribute_not_exists(pk)");
                }
            });
            metrics.write(answer.consumedCapacity());
        } catch (ConditionalCheckFailedException e) {
            metrics.write(null);
            metrics.conflict();
            throw new ConflictException();
        } catch (SdkException | UncheckedIOException e) {
            throw new StorageException("writing thread failed", e);
        }
        return new StoredThread(state, next, processed, null, 0);
    }

    private long expiresAt() {
        return clock.instant().getEpochSecond() + ttlSeconds;
    }

    static Map<String, AttributeValue> key(String pageId, String userId) {
        return Map.of(PK, str("THREAD#" + pageId + "#" + userId), SK, str(STATE_SK));
    }

    Map<String, AttributeValue> encode(ThreadState s, long version, List<String> processed) {
        var item = new HashMap<String, AttributeValue>(key(s.pageId(), s.userId()));
        item.put("kind", str("thread"));
        item.put("pageId", str(s.pageId()));
        item.put("userId", str(s.userId()));
        putIfPresent(item, "owner", s.ownerAppId());
        item.put("since", n(s.since()));
        putIfPresent(item, "reason", s.reason());
        item.put("fallbacks", n(s.fallbacks()));
        item.put("transcript", AttributeValue.fromL(s.transcript().stream().map(ThreadStore::line).toList()));
        item.put("history", AttributeValue.fromL(s.history().stream().map(ThreadStore::transition).toList()));
        item.put("processed", AttributeValue.fromL(processed.stream().map(ThreadStore::str).toList()));
        item.put("version", n(version));
        item.put("updatedAt", n(clock.millis()));
        item.put(TTL_ATTRIBUTE, n(expiresAt()));
        return item;
    }

    static StoredThread decode(Map<String, AttributeValue> item, String pageId, String userId, String botAppId) {
        var transcript = new ArrayList<Line>();
        for (var v : list(item, "transcript")) {
            var m = v.m();
            transcript.add(new Line(num(m, "at"), string(m, "who"), string(m, "text")));
        }
        var history = new ArrayList<Transition>();
        for (var v : list(item, "history")) {
            var m = v.m();
            history.add(new Transition(num(m, "at"), string(m, "kind"), string(m, "from"), string(m, "to"),
                    string(m, "reason"), m.containsKey("held") ? num(m, "held") : null));
        }
        var processed = list(item, "processed").stream().map(AttributeValue::s).toList();
        // An item holding only a claim (first event still under way) has no owner yet: the bot, as for a new thread.
        var owner = item.containsKey("owner") ? string(item, "owner") : botAppId;
        var state = new ThreadState(pageId, userId, owner, num(item, "since"),
                item.containsKey("reason") ? string(item, "reason") : "default", (int) num(item, "fallbacks"),
                transcript, history);
        return new StoredThread(state, num(item, "version"), processed,
                item.containsKey("claimKey") ? string(item, "claimKey") : null, num(item, "claimUntil"));
    }

    private static AttributeValue line(Line l) {
        return AttributeValue.fromM(Map.of("at", n(l.at()), "who", str(l.who()), "text", str(l.text())));
    }

    private static AttributeValue transition(Transition t) {
        var m = new HashMap<String, AttributeValue>();
        m.put("at", n(t.at()));
        m.put("kind", str(t.kind()));
        putIfPresent(m, "from", t.fromAppId());
        putIfPresent(m, "to", t.toAppId());
        putIfPresent(m, "reason", t.reason());
        if (t.heldMillis() != null) {
            m.put("held", n(t.heldMillis()));
        }
        return AttributeValue.fromM(m);
    }

    private static void putIfPresent(Map<String, AttributeValue> m, String name, String value) {
        if (value != null) {
            m.put(name, str(value));
        }
    }

    private static List<AttributeValue> list(Map<String, AttributeValue> item, String name) {
        var v = item.get(name);
        return v == null || !v.hasL() ? List.of() : v.l();
    }

    private static String string(Map<String, AttributeValue> m, String name) {
        var v = m.get(name);
        return v == null ? null : v.s();
    }

    private static long num(Map<String, AttributeValue> m, String name) {
        var v = m.get(name);
        return v == null || v.n() == null ? 0L : Long.parseLong(v.n());
    }

    static AttributeValue str(String s) {
        return AttributeValue.fromS(s);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
