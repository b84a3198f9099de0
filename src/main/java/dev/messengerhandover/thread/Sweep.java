package dev.messengerhandover.thread;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.messengerhandover.account.Accounts;
import dev.messengerhandover.config.HandoverConfig;
import dev.messengerhandover.handover.ThreadState;
import dev.messengerhandover.handover.TransitionKind;
import dev.messengerhandover.retry.Deadline;
import dev.messengerhandover.store.ThreadStore;

/**
 * The scheduled look at threads with something due (every minute in AWS): per account, the sparse due index gives the
 * threads due by now, earliest first, and each is visited as {@link ThreadService#applyDue} decides on it as stored.
 * Its cost follows the threads that are due, not the threads that exist. What the budget does not reach stays due
 * for the next run.
 */
@ApplicationScoped
public class Sweep {

    private static final Logger LOG = Logger.getLogger(Sweep.class);
    static final int PAGE = 100;
    /**
     * A page is not started with less than this left of the budget: a visit's calls (DynamoDB's 4 s call time-out, an
     * alert's 5 s) end before Lambda's 20 s time-out would cut one between acting and writing.
     */
    private static final Duration PAGE_MARGIN = Duration.ofSeconds(6);

    private final Accounts accounts;
    private final ThreadStore store;
    private final ThreadService threads;
    private final DeliveryHandler pool;
    private final Duration budget;

    public Sweep(Accounts accounts, ThreadStore store, ThreadService threads, DeliveryHandler pool,
            HandoverConfig config) {
        this.accounts = accounts;
        this.store = store;
        this.threads = threads;
        this.pool = pool;
        this.budget = config.deliveryBudget();
    }

    /** What one run did: threads visited, and of them alerted, given up, lapsed, offered a person; left for later. */
    public record Result(int visited, int alerted, int gaveUp, int lapsed, int offered, int left) {
    }

    /** Visits every thread due by {@code now} (epoch ms), every account. */
    public Result run(long now) {
        var deadline = Deadline.in(budget);
        var visited = new AtomicInteger();
        var counts = new java.util.concurrent.ConcurrentHashMap<TransitionKind, AtomicInteger>();
        var offered = new AtomicInteger();
        var left = new AtomicInteger();
        for (var account : accounts.all()) {
            ThreadStore.Cursor from = null;
            do {
                if (deadline.remainingMillis() < PAGE_MARGIN.toMillis()) {
                    left.incrementAndGet(); // at least one page of this account is left: the next run has it
                    break;
                }
                ThreadStore.DuePage page;
                try {
                    page = store.due(account.id(), now, PAGE, from);
                } catch (RuntimeException e) {
                    // One account's trouble is not the others': the next run tries it again.
                    LOG.errorf("sweep: the due threads of %s could not be read: %s", account, e.toString());
                    left.incrementAndGet();
                    break;
                }
                pool.concurrently(page.threads(), key -> {
                    try {
                        var visit = threads.applyDue(account, key.pageId(), key.userId(), now, deadline);
                        visited.incrementAndGet();
                        count(visit.before(), visit.after(), counts, offered);
                    } catch (ThreadBusyException e) {
                        left.incrementAndGet(); // a delivery holds it; due it stays
                    } catch (RuntimeException e) {
                        // Storage failing for this thread (or a thread that cannot be read): due it stays.
                        LOG.errorf("sweep: thread %s/%s left for the next run: %s", key.pageId(), key.userId(),
                                e.toString());
                        left.incrementAndGet();
                    }
                });
                from = page.next();
            } while (from != null);
        }
        var result = new Result(visited.get(), get(counts, TransitionKind.ALERTED),
                get(counts, TransitionKind.TAKEN_BACK), get(counts, TransitionKind.EXPIRED), offered.get(),
                left.get());
        if (result.visited() > 0 || result.left() > 0) {
            LOG.infof("sweep: %s", result);
        }
        return result;
    }

    private static void count(ThreadState before, ThreadState after,
            Map<TransitionKind, AtomicInteger> counts, AtomicInteger offered) {
        var gained = after.history().isEmpty() || before.history().equals(after.history()) ? null
                : after.history().get(0);
        if (gained != null) {
            counts.computeIfAbsent(gained.kind(), k -> new AtomicInteger()).incrementAndGet();
        }
        if (before.followup().offerAt() > 0 && after.followup().offerAt() == 0) {
            offered.incrementAndGet();
        }
    }

    private static int get(Map<TransitionKind, AtomicInteger> counts, TransitionKind kind) {
        var c = counts.get(kind);
        return c == null ? 0 : c.get();
    }
}
