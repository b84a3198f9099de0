package dev.messengerhandover.store;

import java.util.List;

import dev.messengerhandover.handover.ThreadState;

/**
 * A thread as the table holds it: the state, the optimistic-lock {@code version} (0 = no item yet), the keys of the
 * latest events applied (redelivery guard) and the claim of an event whose Graph calls are under way.
 */
public record StoredThread(ThreadState state, long version, List<String> processed, String claimKey,
        long claimUntilMillis) {

    /** How many recent event keys a thread remembers; Messenger redelivers recent events, not old ones. */
    public static final int PROCESSED_KEPT = 64;

    public StoredThread {
        processed = List.copyOf(processed);
    }

    public boolean exists() {
        return version > 0;
    }

    public boolean hasProcessed(String eventKey) {
        return processed.contains(eventKey);
    }

    /** Another delivery is running Graph calls for this thread right now. */
    public boolean claimedAt(long nowMillis) {
        return claimKey != null && claimUntilMillis > nowMillis;
    }
}
