package dev.messengerhandover.thread;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.jboss.logging.Logger;

import dev.messengerhandover.account.Accounts;
import dev.messengerhandover.config.HandoverConfig;
import dev.messengerhandover.store.ThreadStore;
import io.quarkus.runtime.StartupEvent;

/**
 * Runs the first delivery's expensive paths before a delivery waits for them: the AWS SDK's request pipeline (a read of
 * an item no thread uses) and the Graph REST client with its JSON (the read-only {@code messaging_feature_status}
 * probe, whose answer, the Page's routing, is kept for the first delivery). A JVM
 * spends about half a second on their first use. Under SnapStart this runs before the snapshot, so every restored
 * instance starts primed; {@code handover.prime-at-start-up} runs it in init as well. Failures only cost the priming.
 */
@ApplicationScoped
public class Priming implements Resource {

    private static final Logger LOG = Logger.getLogger(Priming.class);

    private final ThreadStore store;
    private final RoutingModes routings;
    private final Accounts accounts;

    Priming(ThreadStore store, RoutingModes routings, Accounts accounts) {
        this.store = store;
        this.routings = routings;
        this.accounts = accounts;
    }

    void onStart(@Observes StartupEvent start, HandoverConfig config) {
        // The global context holds resources weakly; this bean is a singleton, so it stays registered.
        Core.getGlobalContext().register(this);
        if (config.primeAtStartUp()) {
            prime();
        }
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to renew: pooled connections that died in the snapshot are retried like any reset.
    }

    void prime() {
        long started = System.nanoTime();
        try {
            store.prime();
        } catch (RuntimeException e) {
            LOG.debugf("priming DynamoDB failed: %s", e.getClass().getSimpleName());
        }
        try {
            // One account is enough to load the client's path; the others' routings are asked on first use.
            routings.probe(accounts.all().get(0));
        } catch (RuntimeException e) {
            LOG.debugf("priming Graph failed: %s", e.getClass().getSimpleName());
        }
        LOG.infof("primed in %d ms", (System.nanoTime() - started) / 1_000_000);
    }
}
