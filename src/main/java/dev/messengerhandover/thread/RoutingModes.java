package dev.messengerhandover.thread;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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

    @Inject
    public RoutingModes(HandoverConfig config, GraphClient graph) {
        this(config.routingRecheck(), graph, Clock.systemUTC());
    }

    RoutingModes(Duration recheck, GraphClient graph, Clock clock) {
        this.recheckMillis = recheck.toMillis();
        this.graph = graph;
        this.clock = clock;
    }

    /** The routing of {@code account}'s Page (for Instagram, of its Instagram messaging). */
    public Routing of(Account account) {
        return switch (account.routingMode()) {
            case ROUTING -> Routing.ROUTING;
            case DEFAULT_BEHAVIOUR -> Routing.DEFAULT_BEHAVIOUR;
            case AUTO -> probed(account);
        };
    }

    /** Asks Graph now, for priming (whatever the mode: the call also loads the Graph client before a delivery). */
    public void probe(Account account) {
        var routing = ask(account);
        LOG.debugf("primed: %s", routing);
    }

    private Routing probed(Account account) {
        var k = known.get(account.id());
        if (k != null && clock.millis() < k.askAgainAt()) {
            return k.routing();
        }
        synchronized (this) {
            k = known.get(account.id());
            if (k != null && clock.millis() < k.askAgainAt()) {
                return k.routing(); // another thread asked while we waited
            }
            return ask(account);
        }
    }

    private Routing ask(Account account) {
        try {
            var answer = graph.featureStatus(account.access(), Deadline.in(PROBE_BUDGET));
            var status = answer.status();
            boolean multiApp = status != null && (account.kind() == AccountKind.INSTAGRAM ? status.instagramMultiApp()
                    : status.messengerMultiApp());
            var routing = status != null && status.hopV2() && multiApp ? Routing.ROUTING : Routing.DEFAULT_BEHAVIOUR;
            known.put(account.id(), new Known(routing, clock.millis() + recheckMillis));
            LOG.infof("%s: %s (messaging_feature_status of Page %s: %s)", account, describe(routing), answer.id(),
                    status);
            return routing;
        } catch (GraphException e) {
            LOG.warnf("%s: routing unknown, assuming default behaviour for %d min: %s", account,
                    RETRY_FAILED_PROBE.toMinutes(), e.summary());
            known.put(account.id(), new Known(Routing.DEFAULT_BEHAVIOUR,
                    clock.millis() + Math.min(recheckMillis, RETRY_FAILED_PROBE.toMillis())));
            return Routing.DEFAULT_BEHAVIOUR;
        }
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
