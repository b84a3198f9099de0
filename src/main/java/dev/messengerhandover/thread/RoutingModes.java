package dev.messengerhandover.thread;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.messengerhandover.account.Account;
import dev.messengerhandover.account.AccountKind;
import dev.messengerhandover.config.HandoverConfig;
import dev.messengerhandover.graph.GraphClient;
import dev.messengerhandover.graph.GraphException;
import dev.messengerhandover.handover.Routing;
import dev.messengerhandover.retry.Deadline;

/**
 * The routing of each account: configured ({@code handover.routing-mode}, per Page in {@code messenger.pages}), or
 * asked of Graph once per account and instance ({@code GET /{page}?fields=messaging_feature_status}, in priming or on
 * the account's first event), never on every event,
 * and again after {@code handover.routing-recheck} (a Page admin may set or clear the default app).
 * When Graph cannot tell, default behaviour is assumed, the safe choice: the bot then never takes a message on
 * {@code messaging} as "control came back" while it knows the Inbox holds a thread, makes the pass a call of its own,
 * and asks {@code thread_owner} before answering such a thread. A failed probe is tried again after a while.
 *
 * <p>How the flags are read (Meta documents them only as "whether routing is configured"): {@code hop_v2} (the
 * handover protocol's successor, Conversation Routing) and {@code msgr_multi_app} (several apps routed on Messenger)
 * together mean routing (for an Instagram account, {@code hop_v2} and {@code ig_multi_app}); anything else is default
 * behaviour.
 */
@ApplicationScoped
public class RoutingModes {

    private static final Logger LOG = Logger.getLogger(RoutingModes.class);
    /** A probe that failed is not repeated on every event: the safe choice holds this long. */
    static final Duration RETRY_FAILED_PROBE = Duration.ofMinutes(5);
    private static final Duration PROBE_BUDGET = Duration.ofSeconds(3);

    /** A routing as probed, good until {@code askAgainAt} (epoch ms). */
    private record Known(Routing routing, long askAgainAt) {
    }

    private final long recheckMillis;
    private final GraphClient graph;
    private final Clock clock;
    private final Map<String, Known> known = new ConcurrentHashMap<>();
    /** The probe under way per account: a second delivery of the account waits for it, others never do. */
    private final Map<String, CompletableFuture<Routing>> probes = new ConcurrentHashMap<>();
    private final Map<String, String> pageIds = new ConcurrentHashMap<>();

    @Inject
    public RoutingModes(HandoverConfig config, GraphClient graph) {
        // Real time, not the protocol's clock: how long an answer of Graph's is trusted.
        this(config.routingRecheck(), graph, Clock.systemUTC());
    }

    RoutingModes(Duration recheck, GraphClient graph, Clock clock) {
        this.recheckMillis = recheck.toMillis();
        this.graph = graph;
        this.clock = clock;
    }

    /**
     * The routing of {@code account}'s Page (for Instagram, of its Instagram messaging), asked of Graph inside the time
     * {@code deadline} leaves when it is not known yet. One probe per account at a time: a delivery of another account
     * never waits for it; one of the same account waits for its answer, at most the time it has left.
     */
    public Routing of(Account account, Deadline deadline) {
        return switch (account.routingMode()) {
            case ROUTING -> Routing.ROUTING;
            case DEFAULT_BEHAVIOUR -> Routing.DEFAULT_BEHAVIOUR;
            case AUTO -> probed(account, deadline);
        };
    }

    /** Asks Graph now, for priming (whatever the mode: the call also loads the Graph client before a delivery). */
    public void probe(Account account) {
        var routing = ask(account, Deadline.in(PROBE_BUDGET));
        LOG.debugf("primed: %s", routing);
    }

    private Routing probed(Account account, Deadline deadline) {
        var k = known.get(account.id());
        if (k != null && clock.millis() < k.askAgainAt()) {
            return k.routing();
        }
        var mine = new CompletableFuture<Routing>();
        var running = probes.putIfAbsent(account.id(), mine);
        if (running != null) {
            // Another delivery of this account is asking: its answer, if it comes in the time left.
            try {
                return running.get(Math.max(0, deadline.remainingMillis() - GraphClient.MIN_CALL_MILLIS),
                        TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                return Routing.DEFAULT_BEHAVIOUR; // the safe choice, for this delivery only
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Routing.DEFAULT_BEHAVIOUR;
            }
        }
        try {
            var routing = ask(account, deadline.atMost(PROBE_BUDGET));
            mine.complete(routing);
            return routing;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            probes.remove(account.id(), mine);
        }
    }

    private Routing ask(Account account, Deadline deadline) {
        try {
            var answer = graph.featureStatus(account.access(), deadline);
            var status = answer.status();
            boolean multiApp = status != null && (account.kind() == AccountKind.INSTAGRAM ? status.instagramMultiApp()
                    : status.messengerMultiApp());
            var routing = status != null && status.hopV2() && multiApp ? Routing.ROUTING : Routing.DEFAULT_BEHAVIOUR;
            known.put(account.id(), new Known(routing, clock.millis() + recheckMillis));
            LOG.infof("%s: %s (messaging_feature_status of Page %s: %s)", account, describe(routing), answer.id(),
                    status);
            if (answer.id() != null) {
                pageIds.put(account.id(), answer.id());
            }
            return routing;
        } catch (GraphClient.OutOfTime e) {
            // This delivery's time was too short to hear the answer: the safe choice for it alone, and asked again.
            LOG.infof("%s: routing not asked in the time left, default behaviour for this delivery: %s", account,
                    e.getMessage());
            return Routing.DEFAULT_BEHAVIOUR;
        } catch (GraphException e) {
            LOG.warnf("%s: routing unknown, assuming default behaviour for %d min: %s", account,
                    RETRY_FAILED_PROBE.toMinutes(), e.summary());
            known.put(account.id(), new Known(Routing.DEFAULT_BEHAVIOUR,
                    clock.millis() + Math.min(recheckMillis, RETRY_FAILED_PROBE.toMillis())));
            return Routing.DEFAULT_BEHAVIOUR;
        }
    }

    /** The Page id Graph named in its last answer about {@code account} ({@code me} resolved), if it did. */
    public java.util.Optional<String> pageIdOf(Account account) {
        return java.util.Optional.ofNullable(pageIds.get(account.id()));
    }

    static String describe(Routing routing) {
        return switch (routing) {
            case ROUTING -> "Conversation Routing, this app is the default app";
            case DEFAULT_BEHAVIOUR -> "default behaviour (no default app)";
        };
    }

    /** The routing as last probed, for the operator API; empty before the first probe. */
    public java.util.Optional<Routing> lastProbed(Account account) {
        return java.util.Optional.ofNullable(known.get(account.id())).map(Known::routing);
    }
}
