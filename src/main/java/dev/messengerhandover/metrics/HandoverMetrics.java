package dev.messengerhandover.metrics;

import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.messengerhandover.account.Account;
import dev.messengerhandover.config.HandoverConfig;
import dev.messengerhandover.handover.ThreadState;
import dev.messengerhandover.metrics.Emf.Measurement;

/**
 * Collects the measurements of one invocation (a delivery's threads are handled on several pool threads) and writes
 * them as EMF lines to standard output when it ends, before the answer goes back: Lambda sends standard output to
 * CloudWatch Logs as it is, one line one log event, and CloudWatch extracts the metrics. With
 * {@code handover.metrics.enabled=false} (dev, tests) nothing is written.
 */
@ApplicationScoped
public class HandoverMetrics {

    private final boolean enabled;
    private final String namespace;
    private final PrintStream out;
    private final Clock clock;
    private final ConcurrentLinkedQueue<Measurement> pending = new ConcurrentLinkedQueue<>();

    @Inject
    public HandoverMetrics(HandoverConfig config) {
        this(config.metrics().enabled(), config.metrics().namespace(), System.out, Clock.systemUTC());
    }

    HandoverMetrics(boolean enabled, String namespace, PrintStream out, Clock clock) {
        this.enabled = enabled;
        this.namespace = namespace;
        this.out = out;
        this.clock = clock;
    }

    /** A thread of {@code account} changed from {@code before} to {@code after}. */
    public void changed(Account account, ThreadState before, ThreadState after) {
        if (enabled) {
            pending.addAll(Measurements.of(before, after, account.control().rules().botAppId()));
        }
    }

    public void add(Measurement m) {
        if (enabled) {
            pending.add(m);
        }
    }

    /** Writes what was collected, one EMF document a line. */
    public void flush() {
        if (!enabled || pending.isEmpty()) {
            return;
        }
        var taken = new ArrayList<Measurement>();
        for (Measurement m; (m = pending.poll()) != null;) {
            taken.add(m);
        }
        List<String> lines = Emf.documents(namespace, clock.millis(), taken);
        synchronized (out) {
            lines.forEach(out::println);
            out.flush();
        }
    }
}
