package dev.messengerhandover.thread;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.messengerhandover.account.Account;
import dev.messengerhandover.account.Accounts;
import dev.messengerhandover.config.HandoverConfig;
import dev.messengerhandover.handover.ThreadControl;
import dev.messengerhandover.handover.event.Delivery;
import dev.messengerhandover.handover.event.WebhookEvent;
import dev.messengerhandover.retry.Deadline;
import dev.messengerhandover.store.StorageException;

/**
 * Handles every event of a delivery before returning (Lambda freezes the environment after the response). Events are
 * grouped per thread (an account's user: one delivery may hold entries of several Pages and Instagram accounts, each
 * handled with its own token and settings; an entry of an account not served here is acknowledged and skipped); a thread's events run in delivery order, different threads run concurrently, so a batch of 1000
 * events for 200 users costs about as long as the busiest thread, not the sum.
 */
@ApplicationScoped
public class DeliveryHandler {

    private static final Logger LOG = Logger.getLogger(DeliveryHandler.class);

    private final ThreadService threads;
    private final Accounts accounts;
    private final HandoverConfig config;
    private volatile ExecutorService pool;
    private final java.util.Set<String> loggedWithoutUser = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public DeliveryHandler(ThreadService threads, Accounts accounts, HandoverConfig config) {
        this.threads = threads;
        this.accounts = accounts;
        this.config = config;
    }

    /**
     * Handles every event before {@code deadline} (the delivery's budget). Returns the number of events applied to
     * threads; throws {@link StorageException}, {@link ThreadBusyException} or {@link WorkLeftException} if any
     * thread failed or was left unfinished, after every thread finished.
     */
    public int handle(Delivery delivery, Deadline deadline) {
        var perThread = new LinkedHashMap<ThreadKey, List<WebhookEvent>>();
        for (var event : delivery.events()) {
            var userId = event.userId();
            if (!ThreadControl.concernsThread(event) || userId == null) {
                ignored(delivery, event);
                continue;
            }
            var account = accounts.forEntry(delivery.object(), event.envelope().pageId());
            if (account.isEmpty()) {
                continue; // an account this deployment does not serve: acknowledged, nothing stored
            }
            perThread.computeIfAbsent(new ThreadKey(account.get(), event.envelope().pageId(), userId),
                    k -> new ArrayList<>()).add(event);
        }
        if (perThread.size() == 1) {
            var only = perThread.entrySet().iterator().next();
            threads.apply(only.getKey().account(), only.getKey().pageId(), only.getKey().userId(), only.getValue(),
                    deadline);
        } else if (!perThread.isEmpty()) {
            runConcurrently(perThread, deadline);
        }
        return perThread.values().stream().mapToInt(List::size).sum();
    }

    /** An event that concerns no thread we can answer: said in the log (once per kind where it is routine). */
    private void ignored(Delivery delivery, WebhookEvent event) {
        var where = delivery.object() + " " + event.envelope().pageId();
        switch (event) {
            case WebhookEvent.PolicyEnforcement p -> LOG.warnf("Meta's policy enforcement for %s: %s (%s)", where,
                    p.action(), p.reason());
            case WebhookEvent.Unknown u -> LOG.infof("ignoring an event on %s of %s: %s", event.envelope().channel(),
                    where, u.fields());
            case WebhookEvent.Status st when "failed".equals(st.status()) -> LOG.warnf(
                    "a message %s sent was not delivered: WhatsApp says %d %s", where, st.errorCode(), st.errorTitle());
            default -> {
                if (ThreadControl.concernsThread(event) && loggedWithoutUser.add(event.kind())) {
                    LOG.infof("ignoring %s events without a user id (sender.id), as Meta sends plugin opt-ins and"
                            + " guests' messages: this is said once per kind", event.kind());
                }
            }
        }
    }

    private void runConcurrently(LinkedHashMap<ThreadKey, List<WebhookEvent>> perThread, Deadline deadline) {
        concurrently(List.copyOf(perThread.entrySet()), e -> threads.apply(e.getKey().account(), e.getKey().pageId(),
                e.getKey().userId(), e.getValue(), deadline));
    }

    /**
     * Runs {@code work} on every item, up to {@code handover.concurrency} at once, and returns once every item is
     * done, even after a failure (nothing may still run once the function answers); then rethrows the first failure.
     */
    <T> void concurrently(List<T> items, java.util.function.Consumer<T> work) {
        var futures = new ArrayList<Future<?>>(items.size());
        var executor = pool();
        for (var item : items) {
            futures.add(executor.submit(() -> work.accept(item)));
        }
        RuntimeException first = null;
        for (var future : futures) {
            try {
                future.get();
            } catch (ExecutionException e) {
                var cause = e.getCause() instanceof RuntimeException r ? r : new StorageException("failed", e);
                if (first == null) {
                    first = cause;
                } else {
                    first.addSuppressed(cause);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException("interrupted while handling a delivery", e);
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private ExecutorService pool() {
        var p = pool;
        if (p == null) {
            synchronized (this) {
                if (pool == null) {
                    pool = Executors.newFixedThreadPool(Math.max(1, config.concurrency()), new Named());
                }
                p = pool;
            }
        }
        return p;
    }

    @PreDestroy
    void stop() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /** One thread: an account's user; {@code pageId} is the entry's id, which keys the thread's item. */
    record ThreadKey(Account account, String pageId, String userId) {
    }

    private static final class Named implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            var t = new Thread(r, "thread-worker-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
