package dev.messengerhandover.thread;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import dev.messengerhandover.graph.Deadline;
import dev.messengerhandover.graph.GraphClient;
import dev.messengerhandover.graph.GraphException;
import dev.messengerhandover.graph.GraphModels.QuickReply;
import dev.messengerhandover.handover.Plan;
import dev.messengerhandover.handover.Step;
import dev.messengerhandover.handover.ThreadControl;
import dev.messengerhandover.handover.ThreadState;
import dev.messengerhandover.store.ConflictException;
import dev.messengerhandover.store.StorageException;
import dev.messengerhandover.store.StoredThread;
import dev.messengerhandover.store.ThreadStore;
import dev.messengerhandover.webhook.WebhookEvent;
import io.quarkus.runtime.Startup;

/**
 * Applies events to one thread: read it, let {@link ThreadControl} decide, make the Graph calls, write what Graph
 * confirmed. An event with Graph calls first claims the thread (a conditional write), so that a concurrent or repeated
 * delivery waits for it instead of passing twice; the final write records the event's key so that a redelivery is a
 * no-op. Steady state: one read and two writes for an answered message, one read and one write for a standby one.
 */
// Built at start-up, not on the first delivery: a bad bot catalogue fails the deployment's init, and the work lands in
// Lambda's init phase (and in the SnapStart snapshot) instead of the first user's wait.
@Startup
@ApplicationScoped
public class ThreadService {

    private static final Logger LOG = Logger.getLogger(ThreadService.class);
    /** MDC fields this class sets on the pool thread while it applies a thread's events. */
    private static final List<String> LOG_FIELDS = List.of("page", "user", "event", "channel", "outcome");
    /** How long a claim blocks others: past it a crashed instance's claim is taken over. */
    static final long CLAIM_MILLIS = 20_000;

    private final ThreadStore store;
    private final GraphClient graph;
    private final ThreadControl control;
    private final Clock clock;
    private final ConfirmedResults confirmed = new ConfirmedResults();

    @Inject
    public ThreadService(ThreadStore store, GraphClient graph, ThreadControl control) {
        this(store, graph, control, Clock.systemUTC());
    }

    ThreadService(ThreadStore store, GraphClient graph, ThreadControl control, Clock clock) {
        this.store = store;
        this.graph = graph;
        this.control = control;
        this.clock = clock;
    }

    public ThreadControl control() {
        return control;
    }

    /** Applies the events of one thread, in order. Throws {@link StorageException} when the store fails or stays busy. */
    public void apply(String pageId, String userId, List<WebhookEvent> events, Deadline deadline) {
        StoredThread known = null;
        // MDC fields become top-level keys of the JSON log lines: CloudWatch Logs Insights filters on them.
        MDC.put("page", pageId);
        MDC.put("user", userId);
        try {
            for (var event : events) {
                MDC.put("event", event.getClass().getSimpleName());
                MDC.put("channel", event.envelope().channel().name().toLowerCase(Locale.ROOT));
                known = applyOne(known, pageId, userId, event, deadline);
            }
        } finally {
            LOG_FIELDS.forEach(MDC::remove);
        }
    }

    private StoredThread applyOne(StoredThread known, String pageId, String userId, WebhookEvent event,
            Deadline deadline) {
        var key = event.eventKey();
        var current = known;
        for (int attempt = 1;; attempt++) {
            if (current == null) {
                current = store.load(pageId, userId, control.rules().botAppId());
            }
            if (current.hasProcessed(key)) {
                MDC.put("outcome", "duplicate");
                LOG.infof("thread %s/%s: %s already applied, redelivery ignored", pageId, userId, key);
                return current;
            }
            if (key.equals(current.claimKey())) {
                var finished = finishConfirmed(current, key);
                if (finished != null) {
                    return finished;
                }
            }
            if (current.claimedAt(clock.millis())) {
                // Another delivery is making Graph calls for this thread: wait for its result, then decide again.
                pauseOrGiveUp(deadline, attempt, "thread " + userId + " is busy with " + current.claimKey());
                current = null;
                continue;
            }
            var plan = control.onEvent(current.state(), event);
            if (!plan.changed() && plan.steps().isEmpty()) {
                MDC.put("outcome", "ignored");
                LOG.debugf("thread %s/%s: nothing to do", pageId, userId);
                return current;
            }
            try {
                if (plan.hasEffects()) {
                    return runClaimed(current, plan, key, event.envelope().timestamp(), describe(event), deadline);
                }
                var saved = store.save(current, run(plan, userId, event.envelope().timestamp(), deadline), key);
                MDC.put("outcome", "recorded");
                LOG.infof("thread %s/%s %s: recorded, owner=%s", pageId, userId, describe(event),
                        saved.state().ownerAppId());
                return saved;
            } catch (ConflictException raced) {
                pauseOrGiveUp(deadline, attempt, "thread " + userId + " kept changing");
                current = null;
            }
        }
    }

    private StoredThread runClaimed(StoredThread current, Plan plan, String key, long at, String what,
            Deadline deadline) throws ConflictException {
        var claimed = store.claim(current, key, clock.millis() + CLAIM_MILLIS);
        var state = run(plan, claimed.state().userId(), at, deadline);
        try {
            var saved = saveConfirmed(claimed, state, key);
            MDC.put("outcome", "applied");
            LOG.infof("thread %s/%s %s: owner=%s steps=%s", state.pageId(), state.userId(), what, state.ownerAppId(),
                    plan.steps().stream().map(s -> s.getClass().getSimpleName()).toList());
            return saved;
        } catch (ConflictException lostClaim) {
            // Our claim expired mid-way and another instance took over (its write wins), or our own write went through
            // and only its answer was lost, so the SDK's retry failed the condition: the table has the truth either way.
            LOG.warnf("thread %s: result for %s not written by this attempt, reading the thread", state.userId(), key);
            return store.load(state.pageId(), state.userId(), control.rules().botAppId());
        }
    }

    /**
     * Writes what Graph confirmed. If storage fails now, Graph has already passed or sent: the result is kept in this
     * instance so that Messenger's redelivery writes it instead of calling Graph again (see {@link #finishConfirmed}).
     */
    private StoredThread saveConfirmed(StoredThread claimed, ThreadState state, String key) throws ConflictException {
        try {
            return store.save(claimed, state, key);
        } catch (StorageException e) {
            confirmed.put(claimed, state, key);
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
            var saved = saveConfirmed(current, result, key);
            MDC.put("outcome", "applied");
            LOG.infof("thread %s/%s: wrote the result Graph confirmed for %s before storage failed", result.pageId(),
                    result.userId(), key);
            return saved;
        } catch (ConflictException raced) {
            return null;
        }
    }

    /** The operator's "take back for the bot": {@code take_thread_control} unless the bot already owns the thread. */
    public ThreadState takeBack(String pageId, String userId, Deadline deadline) {
        var key = "operator-take:" + clock.millis();
        for (int attempt = 1;; attempt++) {
            var current = store.load(pageId, userId, control.rules().botAppId());
            if (current.claimedAt(clock.millis())) {
                pauseOrGiveUp(deadline, attempt, "thread " + userId + " is busy");
                continue;
            }
            if (control.rules().botAppId().equals(current.state().ownerAppId())) {
                return current.state();
            }
            var plan = new Plan(current.state(), List.of(new Step.Take("operator")), true);
            try {
                return runClaimed(current, plan, key, clock.millis(), "operator take", deadline).state();
            } catch (ConflictException raced) {
                pauseOrGiveUp(deadline, attempt, "thread " + userId + " kept changing");
            }
        }
    }

    public StoredThread find(String pageId, String userId) {
        return store.load(pageId, userId, control.rules().botAppId());
    }

    /** Runs the plan's Graph calls in order and folds what Graph confirmed into the state. */
    ThreadState run(Plan plan, String userId, long at, Deadline deadline) {
        var state = plan.state();
        for (var step : plan.steps()) {
            state = runStep(state, step, userId, at, deadline);
        }
        return state;
    }

    private ThreadState runStep(ThreadState state, Step step, String userId, long at, Deadline deadline) {
        try {
            if (step instanceof Step.Send send) {
                var replies = send.offerPerson()
                        ? List.of(QuickReply.text(control.catalogue().talkToPersonTitle(),
                                control.rules().handoffPayload()))
                        : List.<QuickReply>of();
                graph.send(userId, send.text(), replies, deadline);
            } else if (step instanceof Step.Pass pass) {
                graph.passThreadControl(userId, pass.targetAppId(), pass.metadata(), deadline);
            } else if (step instanceof Step.Take take) {
                graph.takeThreadControl(userId, "reason=" + take.reason(), deadline);
            } else if (step instanceof Step.LookupOwner) {
                return control.confirmed(state, step, at, graph.threadOwner(userId, deadline));
            }
            return control.confirmed(state, step, at, null);
        } catch (GraphException e) {
            LOG.warnf("thread %s: graph refused %s: %s", userId, step.getClass().getSimpleName(), e.summary());
            return refused(state, step, userId, at, deadline, e);
        }
    }

    /** A call Graph did not accept, after retries. The state keeps only what is certain. */
    private ThreadState refused(ThreadState state, Step step, String userId, long at, Deadline deadline,
            GraphException error) {
        if (step instanceof Step.Pass pass) {
            // Perhaps the thread moved under us (or the pass went through and only its answer was lost): ask.
            var owner = ownerOrNull(userId, deadline);
            if (pass.targetAppId().equals(owner)) {
                return control.confirmed(state, step, at, null);
            }
            var s = owner == null ? state : control.confirmed(state, new Step.LookupOwner("pass refused"), at, owner);
            var failed = control.passFailed(s, pass, at, error.summary());
            return runAll(failed, userId, at, deadline);
        }
        if (step instanceof Step.Take) {
            var owner = ownerOrNull(userId, deadline);
            return owner == null ? state : control.confirmed(state, new Step.LookupOwner("take refused"), at, owner);
        }
        return state;
    }

    private ThreadState runAll(Plan plan, String userId, long at, Deadline deadline) {
        var s = plan.state();
        for (var step : plan.steps()) {
            try {
                if (step instanceof Step.Send send) {
                    graph.send(userId, send.text(), List.of(), deadline);
                    s = control.confirmed(s, step, at, null);
                }
            } catch (GraphException e) {
                LOG.warnf("thread %s: graph refused the follow-up message: %s", userId, e.summary());
            }
        }
        return s;
    }

    private String ownerOrNull(String userId, Deadline deadline) {
        try {
            return graph.threadOwner(userId, deadline);
        } catch (GraphException e) {
            return null;
        }
    }

    private void pauseOrGiveUp(Deadline deadline, int attempt, String why) {
        long pause = Math.min(400, 20L << Math.min(attempt, 5)) + ThreadLocalRandom.current().nextLong(20);
        if (pause >= deadline.remainingMillis()) {
            throw new StorageException(why + "; giving up so that Messenger redelivers", null);
        }
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted", e);
        }
    }

    private static String describe(WebhookEvent event) {
        return event.getClass().getSimpleName() + " on " + event.envelope().channel();
    }

    /**
     * Results Graph confirmed whose write failed, by thread claim. Only this instance knows them: a redelivery that
     * lands on another instance waits for the claim to expire and runs the event again (Graph calls included).
     */
    private static final class ConfirmedResults {
        private static final int KEPT = 1000;

        private record Held(long version, ThreadState state) {
        }

        private final Map<String, Held> held = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Held> eldest) {
                return size() > KEPT;
            }
        };

        synchronized void put(StoredThread claimed, ThreadState state, String key) {
            held.put(id(claimed, key), new Held(claimed.version(), state));
        }

        /** The result for this claim, if it is the one still in the table; removed either way. */
        synchronized ThreadState take(StoredThread current, String key) {
            var h = held.remove(id(current, key));
            return h != null && h.version() == current.version() ? h.state() : null;
        }

        private static String id(StoredThread thread, String key) {
            return thread.state().pageId() + '/' + thread.state().userId() + '/' + key;
        }
    }
}
