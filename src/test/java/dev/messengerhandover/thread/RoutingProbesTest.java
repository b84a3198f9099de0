package dev.messengerhandover.thread;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.messengerhandover.account.Accounts;
import dev.messengerhandover.graph.GraphClient;
import dev.messengerhandover.handover.Routing;
import dev.messengerhandover.retry.Deadline;
import dev.messengerhandover.testing.GraphStandIn;
import dev.messengerhandover.testing.Platform;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Asking each account's routing of Graph on a fresh instance, with Graph slow to answer: accounts never wait for each
 * other's probe, a second delivery of the same account waits for the probe under way (one call, not two), and no one
 * waits past the time its delivery has left. Compared as ratios within one run: this machine's speed cancels out.
 */
@QuarkusTest
@QuarkusTestResource(Platform.class)
class RoutingProbesTest {

    private static final long GRAPH_TAKES = 2_000;

    @Inject
    GraphClient graph;

    @Inject
    Accounts accounts;

    GraphStandIn standIn = Platform.graph();

    @AfterEach
    void fastAgain() {
        standIn.latency(0);
    }

    @Test
    void differentAccountsProbeAtOnceTheSameAccountOnceAndNobodyPastItsTime() throws Exception {
        var all = accounts.all();
        assertThat(all).hasSizeGreaterThanOrEqualTo(2);
        standIn.latency(GRAPH_TAKES);

        // One account alone: one probe's time.
        long alone = timed(() -> fresh().of(all.get(0), Deadline.in(Duration.ofSeconds(10))));

        // Every account at once, each asked by two deliveries: still about one probe's time, one call per account.
        var routings = fresh();
        int before = probes();
        var tasks = new ArrayList<Callable<Routing>>();
        for (var account : all) {
            tasks.add(() -> routings.of(account, Deadline.in(Duration.ofSeconds(10))));
            tasks.add(() -> routings.of(account, Deadline.in(Duration.ofSeconds(10))));
        }
        long together = timed(() -> concurrently(tasks));
        assertThat(probes() - before).as("probes for %d accounts asked twice each", all.size())
                .isEqualTo(all.size());
        assertThat((double) together / alone).as("all accounts at once against one alone (%d ms vs %d ms)",
                together, alone).isLessThan(1.8);

        // A delivery with little time left does not wait for Graph: the safe choice, for it only.
        var hurried = fresh();
        long quick = timed(() -> assertThat(hurried.of(all.get(0), Deadline.in(Duration.ofMillis(1_100))))
                .isEqualTo(Routing.DEFAULT_BEHAVIOUR));
        assertThat((double) quick / alone).as("a probe with 1.1 s left against a whole one (%d ms vs %d ms)", quick,
                alone).isLessThan(0.8);
        // ... and the next delivery, with time, still asks: a probe cut short is not an answer.
        standIn.latency(0);
        assertThat(hurried.of(all.get(0), Deadline.in(Duration.ofSeconds(10)))).isEqualTo(Routing.ROUTING);
    }

    /** A new instance's routings: nothing probed yet. */
    private RoutingModes fresh() {
        return new RoutingModes(Duration.ofHours(1), graph, Clock.systemUTC());
    }

    private int probes() {
        return (int) standIn.calls().stream().filter(c -> c.query() != null
                && c.query().contains("messaging_feature_status")).count();
    }

    private static <T> void concurrently(List<Callable<T>> tasks) {
        var pool = Executors.newFixedThreadPool(tasks.size());
        try {
            for (var f : pool.invokeAll(tasks)) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdown();
        }
    }

    private static long timed(Runnable work) {
        long start = System.nanoTime();
        work.run();
        return (System.nanoTime() - start) / 1_000_000;
    }
}
