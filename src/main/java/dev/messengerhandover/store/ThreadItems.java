package dev.messengerhandover.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.messengerhandover.handover.Reason;
import dev.messengerhandover.handover.Speaker;
import dev.messengerhandover.handover.ThreadState;
import dev.messengerhandover.handover.ThreadState.Followup;
import dev.messengerhandover.handover.Step;
import dev.messengerhandover.handover.ThreadState.Line;
import dev.messengerhandover.handover.ThreadState.Owed;
import dev.messengerhandover.handover.ThreadState.Queue;
import dev.messengerhandover.handover.ThreadState.Transition;
import dev.messengerhandover.handover.ThreadState.Waiting;
import dev.messengerhandover.handover.TransitionKind;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The thread item's layout, both ways, with no I/O: {@code pk = THREAD#<pageId>#<userId>}, {@code sk = STATE}, the
 * state's fields, the keys of recent events, the optimistic-lock version, the claim of an event whose Graph calls
 * are under way, and the steps an event left undone. Enums are stored by their wire names; reasons that older versions stored as free text still read.
 */
public final class ThreadItems {

    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String TTL_ATTRIBUTE = "expiresAt";
    static final String STATE_SK = "STATE";
    private static final String THREAD_PREFIX = "THREAD#";
    static final String VERSION = "version";
    static final String CLAIM_KEY = "claimKey";
    static final String CLAIM_UNTIL = "claimUntil";
    /** When another app's control lapses (epoch ms); not the TTL, which is {@link #TTL_ATTRIBUTE} in seconds. */
    static final String CONTROL_EXPIRES_AT = "controlExpiresAt";
    static final String USER_AT = "userAt";
    /** Set by a claim, gone with the next full write of the thread. */
    static final String CLAIM_TOKEN = "claimToken";
    /** The sparse index of threads with something due for the sweep: only they carry its keys. */
    public static final String DUE_INDEX = "due";
    public static final String DUE_ACCOUNT = "dueAccount";
    public static final String DUE_AT = "dueAt";
    /** The index of the operator queues: {@code <account id>#<queue>}, oldest first. */
    public static final String QUEUE_INDEX = "queue";
    public static final String QUEUE = "queue";
    public static final String QUEUE_SINCE = "queueSince";
    /** Ids of the bot's latest messages: their echoes are its own. */
    static final String SENT = "sent";
    /** Steps an event left undone when its delivery's time ran out (with its key in {@link #CLAIM_KEY}). */
    static final String PENDING = "pending";
    /** An alert the team is owed that SNS has not taken yet. */
    static final String OWED_ALERT = "owedAlert";

    private ThreadItems() {
    }

    static Map<String, AttributeValue> key(String pageId, String userId) {
        return Map.of(PK, str(THREAD_PREFIX + pageId + "#" + userId), SK, str(STATE_SK));
    }

    /** The thread a {@code pk} names. */
    static ThreadStore.ThreadKey threadKey(String pk) {
        int hash = pk.indexOf('#', THREAD_PREFIX.length());
        if (!pk.startsWith(THREAD_PREFIX) || hash <= THREAD_PREFIX.length() || hash == pk.length() - 1) {
            throw new IllegalArgumentException("not a thread's key: " + pk);
        }
        return new ThreadStore.ThreadKey(pk.substring(THREAD_PREFIX.length(), hash), pk.substring(hash + 1));
    }

    /**
     * The full item for {@code s} at {@code version}; {@code nowMillis} stamps it, {@code expiresAt} is the TTL. The
     * indexes are keyed by the thread's own account id (the delivery entry's: a Page's or an Instagram account's).
     */
    public static Map<String, AttributeValue> encode(ThreadState s, long version, List<String> processed,
            long nowMillis, long expiresAtSeconds) {
        return encode(s, version, processed, nowMillis, expiresAtSeconds, null, List.of());
    }

    /**
     * As above, with the steps the event {@code pendingKey} left undone: kept with its key (as the claim's, with no
     * time: nobody is at work on them), and due for the sweep from now, so that they are finished even if no
     * delivery of the thread comes.
     */
    public static Map<String, AttributeValue> encode(ThreadState s, long version, List<String> processed,
            long nowMillis, long expiresAtSeconds, String pendingKey, List<Step> pending) {
        var accountId = s.pageId();
        var item = new HashMap<String, AttributeValue>(key(s.pageId(), s.userId()));
        item.put("kind", str("thread"));
        item.put("pageId", str(s.pageId()));
        item.put("userId", str(s.userId()));
        putIfPresent(item, "owner", s.ownerAppId());
        item.put("since", n(s.since()));
        item.put("reason", str(s.reason().wire()));
        if (s.expiresAt() > 0) {
            item.put(CONTROL_EXPIRES_AT, n(s.expiresAt()));
        }
        item.put("fallbacks", n(s.fallbacks()));
        if (s.userAt() > 0) {
            item.put(USER_AT, n(s.userAt()));
        }
        item.put("transcript", AttributeValue.fromL(s.transcript().stream().map(ThreadItems::line).toList()));
        item.put("history", AttributeValue.fromL(s.history().stream().map(ThreadItems::transition).toList()));
        item.put("processed", AttributeValue.fromL(processed.stream().map(ThreadItems::str).toList()));
        if (!s.sent().isEmpty()) {
            item.put(SENT, AttributeValue.fromL(s.sent().stream().map(ThreadItems::str).toList()));
        }
        followup(item, s, accountId);
        if (pendingKey != null && !pending.isEmpty()) {
            item.put(CLAIM_KEY, str(pendingKey));
            item.put(PENDING, AttributeValue.fromL(pending.stream().map(StepCodec::encode).toList()));
            long due = s.followup().dueAt();
            item.put(DUE_ACCOUNT, str(accountId));
            item.put(DUE_AT, n(due > 0 ? Math.min(due, nowMillis) : nowMillis));
        }
        item.put(VERSION, n(version));
        item.put("updatedAt", n(nowMillis));
        item.put(TTL_ATTRIBUTE, n(expiresAtSeconds));
        return item;
    }

    public static StoredThread decode(Map<String, AttributeValue> item, String pageId, String userId,
            String botAppId) {
        var transcript = new ArrayList<Line>();
        for (var v : list(item, "transcript")) {
            var m = v.m();
            transcript.add(new Line(num(m, "at"), Speaker.fromWire(string(m, "who")), string(m, "text")));
        }
        var history = new ArrayList<Transition>();
        for (var v : list(item, "history")) {
            history.add(transition(v.m()));
        }
        var processed = list(item, "processed").stream().map(AttributeValue::s).toList();
        // An item holding only a claim (first event still under way) has no owner yet: the bot, as for a new thread.
        var owner = item.containsKey("owner") ? string(item, "owner") : botAppId;
        // Items written before the messaging window was stored: the user's latest line tells it.
        long userAt = item.containsKey(USER_AT) ? num(item, USER_AT)
                : transcript.stream().filter(l -> l.who() == Speaker.USER).mapToLong(Line::at).max().orElse(0);
        var sent = list(item, SENT).stream().map(AttributeValue::s).toList();
        var state = new ThreadState(pageId, userId, owner, num(item, "since"), Reason.fromWire(string(item, "reason")),
                num(item, CONTROL_EXPIRES_AT), (int) num(item, "fallbacks"), userAt, transcript, history,
                followup(item), sent);
        var pending = list(item, PENDING).stream().map(v -> StepCodec.decode(v.m())).flatMap(java.util.Optional::stream)
                .toList();
        return new StoredThread(state, num(item, VERSION), processed, string(item, CLAIM_KEY), num(item, CLAIM_UNTIL),
                pending);
    }

    /** The follow-up's fields, and the keys of the indexes the thread belongs in. */
    private static void followup(Map<String, AttributeValue> item, ThreadState s, String accountId) {
        var f = s.followup();
        var waiting = f.waiting();
        if (waiting != null) {
            item.put("waitSince", n(waiting.since()));
            item.put("waitReason", str(waiting.reason().wire()));
            item.put("alerted", AttributeValue.fromBool(waiting.alerted()));
            item.put("takeRefused", AttributeValue.fromBool(waiting.takeRefused()));
        }
        if (f.offerAt() > 0) {
            item.put("offerAt", n(f.offerAt()));
        }
        if (f.apology()) {
            item.put("apology", AttributeValue.fromBool(true));
        }
        if (f.surveyed()) {
            item.put("surveyed", AttributeValue.fromBool(true));
        }
        if (f.owed() != null) {
            var owed = new HashMap<>(StepCodec.encode(f.owed().alert()).m());
            owed.put("since", n(f.owed().since()));
            item.put(OWED_ALERT, AttributeValue.fromM(owed));
        }
        if (f.dueAt() > 0) {
            item.put(DUE_ACCOUNT, str(accountId));
            item.put(DUE_AT, n(f.dueAt()));
        }
        item.put(QUEUE, str(queueKey(accountId, f.queue())));
        item.put(QUEUE_SINCE, n(waiting != null ? waiting.since() : s.since()));
    }

    private static Followup followup(Map<String, AttributeValue> item) {
        var waiting = item.containsKey("waitSince") ? new Waiting(num(item, "waitSince"),
                Reason.fromWire(string(item, "waitReason")), bool(item, "alerted"), bool(item, "takeRefused")) : null;
        var queue = string(item, QUEUE);
        var q = queue == null ? Queue.BOT
                : Queue.fromWire(queue.substring(queue.lastIndexOf('#') + 1)).orElse(Queue.BOT);
        var owedItem = item.get(OWED_ALERT);
        var owed = owedItem == null || !owedItem.hasM() ? null : StepCodec.decode(owedItem.m())
                .filter(Step.Alert.class::isInstance).map(a -> new Owed((Step.Alert) a, num(owedItem.m(), "since")))
                .orElse(null);
        return new Followup(waiting, num(item, "offerAt"), bool(item, "apology"), bool(item, "surveyed"),
                num(item, DUE_AT), q, owed);
    }

    /** The queue index's partition: an account's threads in one queue (the account as configured: see Account). */
    public static String queueKey(String accountId, Queue queue) {
        return accountId + "#" + queue.wire();
    }

    private static boolean bool(Map<String, AttributeValue> m, String name) {
        var v = m.get(name);
        return v != null && Boolean.TRUE.equals(v.bool());
    }

    private static AttributeValue line(Line l) {
        return AttributeValue.fromM(Map.of("at", n(l.at()), "who", str(l.who().wire()), "text", str(l.text())));
    }

    private static AttributeValue transition(Transition t) {
        var m = new HashMap<String, AttributeValue>();
        m.put("at", n(t.at()));
        m.put("kind", str(t.kind().wire()));
        putIfPresent(m, "from", t.fromAppId());
        putIfPresent(m, "to", t.toAppId());
        m.put("reason", str(t.reason().wire()));
        putIfPresent(m, "detail", t.detail());
        if (t.heldMillis() != null) {
            m.put("held", n(t.heldMillis()));
        }
        return AttributeValue.fromM(m);
    }

    private static Transition transition(Map<String, AttributeValue> m) {
        var reason = string(m, "reason");
        var detail = string(m, "detail");
        // Before the reason became an enum, a refused pass stored "user_asked: <Graph's error>" in one field.
        int colon = reason == null ? -1 : reason.indexOf(": ");
        if (detail == null && colon > 0 && Reason.fromWire(reason) == Reason.UNKNOWN) {
            detail = reason.substring(colon + 2);
            reason = reason.substring(0, colon);
        }
        return new Transition(num(m, "at"), TransitionKind.fromWire(string(m, "kind")), string(m, "from"),
                string(m, "to"), Reason.fromWire(reason), detail, m.containsKey("held") ? num(m, "held") : null);
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

    static String string(Map<String, AttributeValue> m, String name) {
        var v = m.get(name);
        return v == null ? null : v.s();
    }

    static long num(Map<String, AttributeValue> m, String name) {
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
