package dev.messengerhandover.thread;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import dev.messengerhandover.account.Account;
import dev.messengerhandover.alert.Alerts;
import dev.messengerhandover.config.HandoverConfig;
import dev.messengerhandover.handover.BotAnswer;
import dev.messengerhandover.handover.Execution;
import dev.messengerhandover.handover.Plan;
import dev.messengerhandover.handover.Reason;
import dev.messengerhandover.handover.Routing;
import dev.messengerhandover.handover.Step;
import dev.messengerhandover.handover.ThreadState;
import dev.messengerhandover.handover.TransitionKind;
import dev.messengerhandover.handover.event.WebhookEvent;
import dev.messengerhandover.metrics.HandoverMetrics;
import dev.messengerhandover.retry.Backoff;
import dev.messengerhandover.retry.Deadline;
import dev.messengerhandover.store.ConflictException;
import dev.messengerhandover.store.StorageException;
import dev.messengerhandover.store.StoredThread;
import dev.messengerhandover.store.ThreadStore;
import io.quarkus.runtime.Startup;

/**
 * Applies events to one thread: read it, let the account's {@code ThreadControl} decide, run the steps ({@link StepRunner}), write
 * what Graph confirmed. An event with Graph calls first claims the thread (a conditional write), so that a concurrent
 * or repeated delivery waits for it instead of passing twice; the final write records the event's key so that a
 * redelivery is a no-op. Steady state: one read and two writes for an answered message, one read and one write for a
 * standby one.
 *
 * <p>Time: every Graph call and every wait ends {@link #STORE_RESERVE} before the delivery's deadline, which leaves
 * the final write its time. What the time did not cover is written with the thread as pending ({@code savePending}),
 * the event is not marked applied, and the delivery answers 503 ({@link WorkLeftException}): Messenger's redelivery,
 * the thread's next delivery or the sweep, whichever comes first, finishes those steps before anything else, and
 * nothing Graph confirmed runs twice.
 */
// Built at start-up, not on the first delivery: a bad bot catalogue or budget fails the deployment's init, and the
// work lands in Lambda's init phase (and in the SnapStart snapshot) instead of the first user's wait.
@Startup
@ApplicationScoped
public class ThreadService {

    private static final Logger LOG = Logger.getLogger(ThreadService.class);
    /** MDC fields this class sets on the pool thread while it applies a thread's events. */
    private static final List<String> LOG_FIELDS = List.of("account", "platform", "user", "event", "channel",
            "outcome");
    /** Messenger waits this long for an answer; a budget beyond it could never be used. */
    static final Duration MESSENGER_TIMEOUT = Duration.ofSeconds(20);
    /**
     * Kept at the end of the delivery's budget for the last write (DynamoDB's call time-out is 4 s): Graph calls and
     * waits for a busy thread end this much earlier, so the answer still leaves inside the budget.
     */
    public static final long STORE_RESERVE = 4_500;
    /**
     * How much longer a claim lasts than the delivery budget (which the holder's last write ends inside): clock drift
     * between instances. Past the claim a crashed instance's thread is taken over.
     */
    static final Duration CLAIM_MARGIN = Duration.ofSeconds(3);
    /** Waiting for another delivery's claim or retrying a lost race: short, jittered, inside the budget. */
    private static final Backoff CONTENTION = new Backoff(20, 400);
    /** Event times before this are not Messenger's (it was not there): taken as the arrival time. */
    static final long EARLIEST_SANE = Instant.parse("2010-01-01T00:00:00Z").toEpochMilli();
    /** Event times further ahead of the clock than this are not either. */
    static final long AHEAD_SANE = Duration.ofDays(1).toMillis();

    private final ThreadStore store;
    private final StepRunner steps;
    private final RoutingModes routings;
    private final Clock clock;
    private final long claimMillis;
    private final HandoverMetrics metrics;
    private final ConfirmedResults confirmed = new ConfirmedResults();

    @Inject
    public ThreadService(ThreadStore store, StepRunner steps, RoutingModes routings, HandoverMetrics metrics,
            HandoverConfig config, Clock clock) {
        this(store, steps, routings, metrics, config.deliveryBudget(), clock);
    }

    ThreadService(ThreadStore store, StepRunner steps, RoutingModes routings, HandoverMetrics metrics,
            Duration budget, Clock clock) {
        this.store = store;
        this.steps = steps;
        this.routings = routings;
        this.metrics = metrics;
        this.clock = clock;
        this.claimMillis = claimFor(budget).toMillis();
    }

    /**
     * A claim outlives the delivery budget, so that no other instance takes over a thread whose holder is still inside
     * its budget. Checked at start-up: a budget Messenger's time-out cannot hold, or that leaves the Graph calls no
     * time after the last write's reserve, fails the deployment.
     */
    static Duration claimFor(Duration budget) {
        if (budget.compareTo(MIN_BUDGET) < 0 || budget.compareTo(MESSENGER_TIMEOUT) >= 0) {
            throw new IllegalStateException("handover.delivery-budget must be at least " + MIN_BUDGET.toSeconds()
                    + " s (the last write keeps " + STORE_RESERVE + " ms of it, an alert needs "
                    + Alerts.CALL_MILLIS + " ms) and less than Messenger's " + MESSENGER_TIMEOUT.toSeconds()
                    + " s time-out, was " + budget);
        }
        return budget.plus(CLAIM_MARGIN);
    }

    /** The least budget that leaves an alert's call its time after the last write's reserve. */
    static final Duration MIN_BUDGET = Duration.ofMillis(STORE_RESERVE + Alerts.CALL_MILLIS + 500);

    /**
     * Applies the events of one thread of {@code account} ({@code pageId}: the entry's id, which keys the thread), in
     * order. Throws {@link StorageException} when the store fails, {@link ThreadBusyException} when the thread stays
     * busy past the deadline and {@link WorkLeftException} when the time ran out with steps left.
     */
    public void apply(Account account, String pageId, String userId, List<WebhookEvent> events, Deadline deadline) {
        StoredThread known = null;
        var work = deadline.less(STORE_RESERVE);
        // MDC fields become top-level keys of the JSON log lines: CloudWatch Logs Insights filters on them.
        MDC.put("account", pageId);
        MDC.put("platform", account.kind().wire());
        MDC.put("user", account.logged(userId));
        try {
            var routing = routings.of(account, work);
            var control = account.control();
            for (var event : events) {
                MDC.put("event", event.kind());
                MDC.put("channel", event.envelope().channel().name().toLowerCase(Locale.ROOT));
                known = applyOne(account, known, pageId, userId, event.key(), describe(event), state -> {
                    long now = clock.millis();
                    long at = sane(event.envelope().timestamp(), now);
                    var s = state;
                    if (control.needsOwnerCheck(s, event, routing, now)) {
                        // Default behaviour: whether the Inbox still holds the thread, only thread_owner can say.
                        s = control.ownerChecked(s, steps.ownerNow(account, userId, work), now);
                    }
                    return control.onEvent(s, event, routing, at, now);
                }, work);
            }
        } finally {
            LOG_FIELDS.forEach(MDC::remove);
        }
    }

    /**
     * When the event happened, as far as reason goes: Meta's timestamp, unless it is from before Messenger existed or
     * more than a day ahead of our clock, which no real delivery is (then: now, and said in the log).
     */
    static long sane(long timestamp, long now) {
        if (timestamp >= EARLIEST_SANE && timestamp <= now + AHEAD_SANE) {
            return timestamp;
        }
        LOG.warnf("event time %d is outside reason (now %d): taken as the arrival time", timestamp, now);
        return now;
    }

    /**
     * The sweep's visit of one thread with something due at {@code now}: alert, give up, lapse or offer, as
     * {@link dev.messengerhandover.handover.ThreadControl#onDue} decides on the thread as stored now (the due index
     * it was found through lags behind), after finishing any steps an event left undone. Claimed and written like an
     * event, so that overlapping sweeps, or a sweep and a delivery, never act twice.
     */
    public DueVisit applyDue(Account account, String pageId, String userId, long now, Deadline deadline) {
        var work = deadline.less(STORE_RESERVE);
        MDC.put("account", pageId);
        MDC.put("platform", account.kind().wire());
        MDC.put("user", account.logged(userId));
        MDC.put("event", "due");
        var decidedOn = new ThreadState[1];
        try {
            var routing = routings.of(account, work);
            var after = applyOne(account, null, pageId, userId, SWEEP_KEY + now, "due", state -> {
                decidedOn[0] = state;
                return account.control().onDue(state, now, routing);
            }, work).state();
            return new DueVisit(decidedOn[0] != null ? decidedOn[0] : after, after);
        } finally {
            LOG_FIELDS.forEach(MDC::remove);
        }
    }

    /**
     * A message the account's bot sends on its own (answering later), through the same rules as its answers: sent
     * only while the bot may talk (it holds the thread, inside the user's window). {@code key} makes a retried POST a
     * no-op. Returns why it was refused, or {@code null} when it was sent (or already was).
     */
    public String applyBotMessage(Account account, String pageId, String userId, BotAnswer answer, String key,
            Deadline deadline) {
        var work = deadline.less(STORE_RESERVE);
        var refused = new String[1];
        MDC.put("account", pageId);
        MDC.put("platform", account.kind().wire());
        MDC.put("user", account.logged(userId));
        MDC.put("event", "bot_message");
        try {
            var routing = routings.of(account, work);
            applyOne(account, null, pageId, userId, key, "bot message", state -> {
                long now = clock.millis();
                var control = account.control();
                refused[0] = control.botMaySend(state, state.userAt() > 0, now);
                return refused[0] != null ? Plan.nothing(state) : control.botAnswered(state, answer, routing, now);
            }, work);
            return refused[0];
        } finally {
            LOG_FIELDS.forEach(MDC::remove);
        }
    }

    /**
     * Writes a thread found under an index key of an older layout ({@code me} for one Page configured by its token)
     * again as it is: its index entries move to its account's own id, where the sweep and the queues look.
     */
    public void rekey(Account account, String pageId, String userId, Deadline deadline) {
        applyOne(account, null, pageId, userId, SWEEP_KEY + "rekey", "rekey", Plan::remember,
                deadline.less(STORE_RESERVE));
    }

    /** A queue page token that is not one of the queue asked for: the caller's mistake (a 400). */
    public static final class NotAPage extends RuntimeException {
        NotAPage(String message) {
            super(message, null, false, false);
        }
    }

    /** The key of a sweep's visit: never redelivered, so never kept among the thread's applied keys. */
    static final String SWEEP_KEY = "due:";

    private static boolean isSweep(String key) {
        return key.startsWith(SWEEP_KEY);
    }

    /** The key the thread keeps as applied: a sweep's would only push Messenger's out. */
    private static String recorded(String key) {
        return isSweep(key) ? null : key;
    }

    /** A thread as the sweep found it, and as it left it. */
    public record DueVisit(ThreadState before, ThreadState after) {
    }

    private StoredThread applyOne(Account account, StoredThread known, String pageId, String userId, String key,
            String what, Function<ThreadState, Plan> decide, Deadline work) {
        var current = known;
        for (int attempt = 1;; attempt++) {
            if (current == null) {
                current = store.load(pageId, userId, account.control().rules().botAppId());
            }
            if (current.hasProcessed(key)) {
                MDC.put("outcome", "duplicate");
                LOG.infof("thread %s/%s: %s already applied, redelivery ignored", pageId, account.logged(userId), key);
                return current;
            }
            // A sweep's visit comes with a new key each run: the result of an earlier visit whose write failed is
            // found by the claim it left.
            var claimed = key.equals(current.claimKey()) ? key
                    : isSweep(key) && current.claimKey() != null && isSweep(current.claimKey()) ? current.claimKey()
                            : null;
            if (claimed != null) {
                var finished = finishConfirmed(current, claimed);
                if (finished != null) {
                    current = finished;
                    continue;
                }
            }
            if (current.claimedAt(clock.millis())) {
                // Another delivery is making Graph calls for this thread: wait for its result, then decide again.
                waitOrGiveUp(work, attempt, "thread " + account.logged(userId) + " is busy with "
                        + current.claimKey());
                current = null;
                continue;
            }
            try {
                if (current.hasPending()) {
                    // An earlier event's steps, left when its time ran out: they come first, in the thread's order.
                    current = runClaimed(account, current, new Plan(current.state(), current.pending(), true),
                            current.claimKey(), "left by " + current.claimKey(), work);
                    continue;
                }
                var plan = decide.apply(current.state());
                if (!plan.changed() && plan.steps().isEmpty()) {
                    MDC.put("outcome", "ignored");
                    LOG.debugf("thread %s/%s: nothing to do", pageId, account.logged(userId));
                    return current;
                }
                if (plan.hasEffects()) {
                    if (isSweep(key) && !steps.hasTimeFor(account, userId, plan.steps().getFirst(), work)) {
                        // A visit that cannot start its first call in the time left claims and writes nothing: the
                        // thread stays due as it is, and the next run (a minute on, with its whole budget) visits it.
                        throw new WorkLeftException("thread " + account.logged(userId) + ": " + what + " left for"
                                + " the next sweep");
                    }
                    return runClaimed(account, current, plan, key, what, work);
                }
                // Only thread_owner to ask: nothing to claim, and a lookup the time did not cover is simply not made.
                var outcome = steps.run(account, plan, userId, work);
                var saved = store.save(current, outcome.state(), recorded(key));
                metrics.changed(account, current.state(), saved.state());
                MDC.put("outcome", "recorded");
                LOG.infof("thread %s/%s %s: recorded, owner=%s", pageId, account.logged(userId), what,
                        saved.state().ownerAppId());
                return saved;
            } catch (ConflictException raced) {
                waitOrGiveUp(work, attempt, "thread " + account.logged(userId) + " kept changing");
                current = null;
            }
        }
    }

    /**
     * Claims the thread for {@code key}, runs the plan's steps in the time {@code work} leaves, and writes what Graph
     * confirmed: as applied when every step ran, else with the steps left, and then {@link WorkLeftException}.
     */
    private StoredThread runClaimed(Account account, StoredThread current, Plan plan, String key, String what,
            Deadline work) throws ConflictException {
        var claimed = store.claim(current, key, clock.millis() + claimMillis);
        var outcome = steps.run(account, plan, claimed.state().userId(), work);
        var state = outcome.state();
        try {
            var saved = saveConfirmed(claimed, outcome, key);
            metrics.changed(account, current.state(), saved.state());
            if (!outcome.finished()) {
                MDC.put("outcome", "unfinished");
                throw new WorkLeftException("thread " + account.logged(state.userId()) + ": " + what + " left "
                        + outcome.left().stream().map(Step::call).toList() + " for the redelivery");
            }
            MDC.put("outcome", "applied");
            LOG.infof("thread %s/%s %s: owner=%s steps=%s", state.pageId(), account.logged(state.userId()), what,
                    state.ownerAppId(),
                    plan.steps().stream().map(Step::call).toList());
            return saved;
        } catch (ConflictException lostClaim) {
            // Our claim expired mid-way and another instance took over (its write wins), or our own write went through
            // and only its answer was lost, so the SDK's retry failed the condition: the table has the truth either way.
            LOG.warnf("thread %s: result for %s not written by this attempt, reading the thread",
                    account.logged(state.userId()), key);
            return store.load(state.pageId(), state.userId(), account.control().rules().botAppId());
        }
    }

    /**
     * Writes what Graph confirmed (and what is left). If storage fails now, Graph has already passed or sent: the
     * result is kept in this instance so that Messenger's redelivery writes it instead of calling Graph again (see
     * {@link #finishConfirmed}).
     */
    private StoredThread saveConfirmed(StoredThread claimed, Execution.Outcome outcome, String key)
            throws ConflictException {
        try {
            return outcome.finished() ? store.save(claimed, outcome.state(), recorded(key))
                    : store.savePending(claimed, outcome.state(), key, outcome.left());
        } catch (StorageException e) {
            confirmed.put(claimed, outcome, key);
            throw e;
        }
    }

    /**
     * A redelivery of the event this thread is claimed for, after this instance made its Graph calls but could not
     * write their result: write it now. Returns null when there is no such result here (another instance holds the
     * claim, or ours expired and was taken over), and the caller goes on as usual.
     */
    private StoredThread finishConfirmed(StoredThread current, String key) {
        var result = confirmed.take(current, key);
        if (result == null) {
            return null;
        }
        try {
            var saved = result.finished() ? store.save(current, result.state(), recorded(key))
                    : store.savePending(current, result.state(), key, result.left());
            LOG.infof("thread %s/%s: wrote the result Graph confirmed for %s before storage failed",
                    result.state().pageId(), result.state().userId(), key);
            return saved;
        } catch (ConflictException raced) {
            return null;
        }
    }

    /**
     * The operator's "take back for the bot": {@code take_thread_control} unless the bot already owns the thread. In
     * default behaviour (no default app) Graph blocks the take: refused without asking.
     */
    public TakeBack takeBack(Account account, String pageId, String userId, Deadline deadline) {
        var control = account.control();
        var work = deadline.less(STORE_RESERVE);
        var key = "operator-take:" + clock.millis();
        for (int attempt = 1;; attempt++) {
            var current = store.load(pageId, userId, control.rules().botAppId());
            if (current.claimedAt(clock.millis())) {
                waitOrGiveUp(work, attempt, "thread " + account.logged(userId) + " is busy");
                continue;
            }
            var state = current.state();
            if (control.rules().botAppId().equals(state.ownerAppId()) && !control.expired(state, clock.millis())) {
                return new TakeBack(state, null);
            }
            if (!control.rules().limits().takeBack()) {
                return new TakeBack(state, TakeBack.ESCALATION_ONLY);
            }
            if (routings.of(account, work) == Routing.DEFAULT_BEHAVIOUR) {
                return new TakeBack(state, TakeBack.BLOCKED);
            }
            var plan = new Plan(state, List.of(new Step.Take(Reason.OPERATOR)), true);
            try {
                var after = runClaimed(account, current, plan, key, "operator take", work).state();
                var failed = after.history().isEmpty() || after.history().get(0).kind() != TransitionKind.TAKE_FAILED
                        ? null : after.history().get(0);
                return new TakeBack(after, failed == null ? null : failed.reason() == Reason.TAKE_NOT_SUPPORTED
                        ? TakeBack.BLOCKED : "Graph refused the take: " + failed.detail());
            } catch (ConflictException raced) {
                waitOrGiveUp(work, attempt, "thread " + account.logged(userId) + " kept changing");
            }
        }
    }

    /** What the operator's take came to: the thread, and why the bot does not have it when it does not. */
    public record TakeBack(ThreadState state, String refused) {
        static final String BLOCKED = "take_thread_control is blocked: the Page has no default app (default behaviour);"
                + " the Page Inbox has to pass the thread back, or it comes back when control expires";
        static final String ESCALATION_ONLY = "on WhatsApp only the escalation partner may take a thread: the helpdesk"
                + " has to pass it back or release it, or it goes idle 24 h after the user's last message";
    }

    /** Index queries one queue page may take to fill past threads that left the queue. */
    static final int MAX_QUEUE_QUERIES = 5;

    /**
     * A page of {@code accountId}'s threads in {@code queue}, oldest first, as they are at {@code now}: the index lags
     * the table a little (and the sweep notices a lapsed hold within a minute), so a thread that moved on since, or
     * whose hold lapsed, is left out and the page filled from the index's next keys. Throws
     * {@link NotAPage} for a {@code next} token not of this queue.
     */
    public ThreadStore.QueuePage queue(Account account, String accountId, ThreadState.Queue queue, int limit,
            String next, long now) {
        var control = account.control();
        var threads = new java.util.ArrayList<StoredThread>();
        var token = next;
        for (int query = 0; query < MAX_QUEUE_QUERIES && threads.size() < limit; query++) {
            ThreadStore.QueuePage page;
            try {
                page = store.queue(accountId, queue, limit - threads.size(), token, control.rules().botAppId());
            } catch (dev.messengerhandover.store.QueueTokens.BadToken bad) {
                throw new NotAPage(bad.getMessage());
            }
            page.threads().stream().filter(t -> t.state().followup().queue() == queue)
                    .filter(t -> queue == ThreadState.Queue.BOT || !control.expired(t.state(), now))
                    .forEach(threads::add);
            token = page.next();
            if (token == null) {
                break;
            }
        }
        return new ThreadStore.QueuePage(threads, token);
    }

    public StoredThread find(Account account, String pageId, String userId) {
        return store.load(pageId, userId, account.control().rules().botAppId());
    }

    /** The time now, as the function measures it. */
    public long now() {
        return clock.millis();
    }

    private static void waitOrGiveUp(Deadline work, int attempt, String why) {
        if (!CONTENTION.await(attempt, work)) {
            throw new ThreadBusyException(why + "; giving up so that Messenger redelivers");
        }
    }

    private static String describe(WebhookEvent event) {
        return event.kind() + " on " + event.envelope().channel();
    }
}
