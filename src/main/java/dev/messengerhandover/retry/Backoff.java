package dev.messengerhandover.retry;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Jittered exponential back-off that never outlives a {@link Deadline}: attempt {@code n} (from 1) waits a random time
 * between {@code base·2^(n-1)} and {@code base·2^n}, at most {@code cap}. Jitter keeps instances that failed together
 * (a throttled table, a Graph blip) from retrying together.
 */
public record Backoff(long baseMillis, long capMillis) {

    public Backoff {
        if (baseMillis <= 0 || capMillis < baseMillis) {
            throw new IllegalArgumentException("back-off needs 0 < base <= cap");
        }
    }

    /** The pause before attempt {@code attempt + 1}. */
    public long pause(int attempt) {
        int shift = Math.min(Math.max(attempt, 1), 20);
        long low = Math.min(capMillis, baseMillis << (shift - 1));
        long high = Math.min(capMillis, baseMillis << shift);
        return low == high ? low : ThreadLocalRandom.current().nextLong(low, high + 1);
    }

    /**
     * Waits the pause after {@code attempt} failed attempts; false, without waiting, when the pause would end at or past
     * the deadline (the caller gives up instead).
     */
    public boolean await(int attempt, Deadline deadline) {
        long pause = pause(attempt);
        if (pause >= deadline.remainingMillis()) {
            return false;
        }
        try {
            Thread.sleep(pause);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
