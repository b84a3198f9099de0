package dev.messengerhandover.thread;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.messengerhandover.handover.Execution;
import dev.messengerhandover.store.StoredThread;

/**
 * Results Graph confirmed whose write failed, by thread claim, so that Messenger's redelivery writes them instead of
 * passing and sending again. Only this instance knows them: a redelivery that lands on another instance waits for the
 * claim to expire and runs the event again (Graph calls included).
 */
final class ConfirmedResults {

    private static final int KEPT = 1000;

    private record Held(long version, Execution.Outcome outcome) {
    }

    private final Map<String, Held> held = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Held> eldest) {
            return size() > KEPT;
        }
    };

    synchronized void put(StoredThread claimed, Execution.Outcome outcome, String key) {
        held.put(id(claimed, key), new Held(claimed.version(), outcome));
    }

    /** The result for this claim, if it is the one still in the table; removed either way. */
    synchronized Execution.Outcome take(StoredThread current, String key) {
        var h = held.remove(id(current, key));
        return h != null && h.version() == current.version() ? h.outcome() : null;
    }

    private static String id(StoredThread thread, String key) {
        return thread.state().pageId() + '/' + thread.state().userId() + '/' + key;
    }
}
