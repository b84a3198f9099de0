package dev.messengerhandover.thread;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.messengerhandover.account.Account;
import dev.messengerhandover.account.Accounts;
import dev.messengerhandover.config.HandoverConfig;
import dev.messengerhandover.handover.ThreadState;
import dev.messengerhandover.handover.TransitionKind;
import dev.messengerhandover.handover.event.Delivery;
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
    private final RoutingModes routings;
    private final Duration budget;

    public Sweep(Accounts accounts, ThreadStore store, ThreadService threads, DeliveryHandler pool,
            RoutingModes routings, HandoverConfig config) {
        this.accounts = accounts;
        this.store = store;
        this.threads = threads;
        this.pool = pool;
        this.routings = routings;
        this.budget = config.deliveryBudget();
    }

    /** What one run did: threads visited, and of them alerted, given up, lapsed, offered a person; left for later. */
    public record Result(int visited, int alerted, int gaveUp, int lapsed, int offered, int left) {
    }

    /** Visits every thread due by {@code now} (epoch ms), every account, within the delivery budget. */
    public Result run(long now) {
        return run(now, Deadline.in(budget));
    }

    /** Visits every thread due by {@code now} (epoch ms), every account, before {@code deadline}. */
    public Result run(long now, Deadline deadline) {
        var run = new Run(now, deadline);
        for (var account : accounts.all()) {
            for (var id : partitionsOf(account)) {
                run.sweep(id, key -> Optional.of(account));
            }
        }
        // Threads a one-Page setup indexed as "me" before the indexes took the Page's id: theirs by the key's Page.
        run.sweep(Account.TOKEN_PAGE, key -> accounts.forEntry(Delivery.PAGE, key.pageId()));
        run.rekey();
        var result = new Result(run.visited.get(), get(run.counts, TransitionKind.ALERTED),
                get(run.counts, TransitionKind.TAKEN_BACK), get(run.counts, TransitionKind.EXPIRED),
                run.offered.get(), run.left.get());
        if (result.visited() > 0 || result.left() > 0) {
            LOG.infof("sweep: %s", result);
        }
        return result;
    }

    /**
     * The ids an account's threads are indexed by: its own, or for one Page configured by its token, the Page's id
     * as deliveries named it (or, before any came to this instance, as Graph names it).
     */
    private List<String> partitionsOf(Account account) {
        if (!Account.TOKEN_PAGE.equals(account.id())) {
            return List.of(account.id());
        }
        var seen = accounts.pageIdsSeen(account);
        if (!seen.isEmpty()) {
            return seen;
        }
        if (routings.pageIdOf(account).isEmpty()) {
            routings.probe(account);
        }
        return routings.pageIdOf(account).map(List::of).orElse(List.of());
    }

    /** One run's counts and its pass over the due index, a page at a time, threads of a page at once. */
    private final class Run {
        final long now;
        final Deadline deadline;
        final AtomicInteger visited = new AtomicInteger();
        final Map<TransitionKind, AtomicInteger> counts = new java.util.concurrent.ConcurrentHashMap<>();
        final AtomicInteger offered = new AtomicInteger();
        final AtomicInteger left = new AtomicInteger();

        Run(long now, Deadline deadline) {
            this.now = now;
            this.deadline = deadline;
        }

        void sweep(String partition, Function<ThreadStore.ThreadKey, Optional<Account>> accountOf) {
            ThreadStore.Cursor from = null;
            do {
                if (deadline.remainingMillis() < PAGE_MARGIN.toMillis()) {
                    left.incrementAndGet(); // at least one page of this account is left: the next run has it
                    return;
                }
                ThreadStore.DuePage page;
                try {
                    page = store.due(partition, now, PAGE, from);
                } catch (RuntimeException e) {
                    // One account's trouble is not the others': the next run tries it again.
                    LOG.errorf("sweep: the due threads of %s could not be read: %s", partition, e.toString());
                    left.incrementAndGet();
                    return;
                }
                pool.concurrently(page.threads(), key -> {
                    var account = accountOf.apply(key);
                    if (account.isEmpty()) {
                        return; // a Page this deployment no longer serves
                    }
                    try {
                        var visit = threads.applyDue(account.get(), key.pageId(), key.userId(), now, deadline);
                        visited.incrementAndGet();
                        count(visit.before(), visit.after(), counts, offered);
                    } catch (ThreadBusyException | WorkLeftException e) {
                        left.incrementAndGet(); // a delivery holds it, or the time ran out: due it stays
                    } catch (RuntimeException e) {
                        // Storage failing for this thread (or a thread that cannot be read): due it stays.
                        LOG.errorf("sweep: thread %s/%s left for the next run: %s", key.pageId(),
                                account.get().logged(key.userId()),
                                e.toString());
                        left.incrementAndGet();
                    }
                });
                from = page.next();
            } while (from != null);
        }

        /**
         * Moves up to {@link #REKEY_PER_RUN} threads a run out of the older {@code me} queues, written again under
         * their account's id: where the operator's queues look. Waiting threads first.
         */
        void rekey() {
            int moved = 0;
            for (var queue : List.of(ThreadState.Queue.WAITING, ThreadState.Queue.WITH_AGENT, ThreadState.Queue.BOT)) {
                String token = null;
                for (int pages = 0; pages < 5 && moved < REKEY_PER_RUN; pages++) {
                    if (deadline.remainingMillis() < PAGE_MARGIN.toMillis()) {
                        return;
                    }
                    ThreadStore.QueuePage page;
                    try {
                        page = store.queue(Account.TOKEN_PAGE, queue, REKEY_PER_RUN - moved, token, "");
                    } catch (RuntimeException e) {
                        LOG.errorf("sweep: the older %s queue could not be read: %s", queue.wire(), e.toString());
                        return;
                    }
                    for (var thread : page.threads()) {
                        var s = thread.state();
                        var account = accounts.forEntry(Delivery.PAGE, s.pageId());
                        if (account.isPresent()) {
                            try {
                                threads.rekey(account.get(), s.pageId(), s.userId(), deadline);
                                moved++;
                            } catch (RuntimeException e) {
                                LOG.warnf("sweep: thread %s/%s not moved to its account's queues yet: %s",
                                        s.pageId(), s.userId(), e.toString());
                            }
                        }
                    }
                    token = page.next();
                    if (token == null) {
                        break;
                    }
                }
            }
            if (moved > 0) {
                LOG.infof("sweep: %d thread(s) indexed as \"me\" moved to their Page's id", moved);
            }
        }
    }

    /** Threads moved out of the older {@code me} index entries per run: a few writes a minute until none are left. */
    static final int REKEY_PER_RUN = 100;

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
