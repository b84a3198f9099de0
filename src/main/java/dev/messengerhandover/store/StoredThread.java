package dev.messengerhandover.store;

import java.util.List;

import dev.messengerhandover.handover.Step;
import dev.messengerhandover.handover.ThreadState;

/**
 * A thread as the table holds it: the state, the optimistic-lock {@code version} (0 = no item yet), the keys of the
 * latest events applied (redelivery guard), the claim of an event whose Graph calls are under way, and the steps an
 * event ({@code claimKey}) left undone when its delivery's time ran out, which the next visit finishes first.
 */
public record StoredThread(ThreadState state, long version, List<String> processed, String claimKey,
        long claimUntilMillis, List<Step> pending) {

    /** How many recent event keys a thread remembers; Messenger redelivers recent events, not old ones. */
    public static final int PROCESSED_KEPT = 64;

    public StoredThread {
        processed = List.copyOf(processed);
        pending = pending == null ? List.of() : List.copyOf(pending);
    }

    public StoredThread(ThreadState state, long version, List<String> processed, String claimKey,
            long claimUntilMillis) {
        this(state, version, processed, claimKey, claimUntilMillis, List.of());
    }

    /** Steps of the event {@link #claimKey} left undone: whoever visits the thread next finishes them first. */
    public boolean hasPending() {
        return !pending.isEmpty();
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
