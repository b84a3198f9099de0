package dev.messengerhandover.thread;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.messengerhandover.config.HandoverConfig;
import dev.messengerhandover.config.RoutingMode;
import dev.messengerhandover.graph.GraphClient;
import dev.messengerhandover.graph.GraphException;
import dev.messengerhandover.handover.Routing;
import dev.messengerhandover.retry.Deadline;

/**
 * The routing of each Page: configured ({@code handover.routing-mode}), or asked of Graph once per Page and instance
 * ({@code GET /me?fields=messaging_feature_status}, in priming or on the Page's first event), never on every event,
 * and again after {@code handover.routing-recheck} (a Page admin may set or clear the default app).
 * When Graph cannot tell, default behaviour is assumed, the safe choice: the bot then never takes a message on
 * {@code messaging} as "control came back" while it knows the Inbox holds a thread, makes the pass a call of its own,
 * and asks {@code thread_owner} before answering such a thread. A failed probe is tried again after a while.
 *
 * <p>How the flags are read (Meta documents them only as "whether routing is configured"): {@code hop_v2} (the
 * handover protocol's successor, Conversation Routing) and {@code msgr_multi_app} (several apps routed on Messenger)
 * together mean routing; anything else is default behaviour.
 */
@ApplicationScoped
public class RoutingModes {

    private static final Logger LOG = Logger.getLogger(RoutingModes.class);
    /** A probe that failed is not repeated on every event: the safe choice holds this long. */
    static final Duration RETRY_FAILED_PROBE = Duration.ofMinutes(5);
    private static final Duration PROBE_BUDGET = Duration.ofSeconds(3);
    /** The probe answers for the token's Page, whose id we learn from it; before that, this key. */
    private static final String TOKEN_PAGE = "";

    /** A routing as probed, good until {@code askAgainAt} (epoch ms). */
    private record Known(Routing routing, long askAgainAt) {
    }

    private final RoutingMode configured;
    private final long recheckMillis;
    private final GraphClient graph;
    private final Clock clock;
    private final Map<String, Known> known = new ConcurrentHashMap<>();

    @Inject
    public RoutingModes(HandoverConfig config, GraphClient graph) {
        this(config.routingMode(), config.routingRecheck(), graph, Clock.systemUTC());
    }

    RoutingModes(RoutingMode configured, Duration recheck, GraphClient graph, Clock clock) {
        this.configured = configured;
        this.recheckMillis = recheck.toMillis();
        this.graph = graph;
        this.clock = clock;
    }

    /** The routing of {@code pageId}'s Page. */
    public Routing of(String pageId) {
        return switch (configured) {
            case ROUTING -> Routing.ROUTING;
            case DEFAULT_BEHAVIOUR -> Routing.DEFAULT_BEHAVIOUR;
            case AUTO -> probed(pageId);
        };
    }

    /**
     * Asks Graph now, for priming: the answer is kept for the token's Page (and used when the routing is
     * {@code auto}); the call also loads the Graph client's path before a delivery needs it.
     */
    public void probe() {
        probed(TOKEN_PAGE);
    }

    private Routing probed(String pageId) {
        var k = known.get(pageId);
        if (k == null && !pageId.isEmpty()) {
            k = known.get(TOKEN_PAGE);
        }
        if (k != null && clock.millis() < k.askAgainAt()) {
            return k.routing();
        }
        return ask(pageId);
    }

    private synchronized Routing ask(String pageId) {
        var k = known.get(pageId);
        if (k != null && clock.millis() < k.askAgainAt()) {
            return k.routing(); // another thread asked while we waited
        }
        try {
            var answer = graph.featureStatus(Deadline.in(PROBE_BUDGET));
            var status = answer.status();
            var routing = status != null && status.hopV2() && status.messengerMultiApp() ? Routing.ROUTING
                    : Routing.DEFAULT_BEHAVIOUR;
            var page = answer.id() != null ? answer.id() : pageId;
            if (!pageId.isEmpty() && !pageId.equals(page)) {
                LOG.warnf("messaging_feature_status answered for Page %s, not for %s: the token belongs to another "
                        + "Page", page, pageId);
            }
            var result = new Known(routing, clock.millis() + recheckMillis);
            known.put(page, result);
            known.put(pageId, result);
            LOG.infof("Page %s: %s (messaging_feature_status %s)", page, describe(routing), status);
            return routing;
        } catch (GraphException e) {
            LOG.warnf("Page %s: routing unknown, assuming default behaviour for %d min: %s", pageId,
                    RETRY_FAILED_PROBE.toMinutes(), e.summary());
            known.put(pageId, new Known(Routing.DEFAULT_BEHAVIOUR,
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
}
