package dev.messengerhandover.retry;

import java.time.Duration;

/** The time left for one delivery: Messenger gives up after 20 s, so retries and waits stop when this runs out. */
public record Deadline(long atNanos) {

    public static Deadline in(Duration budget) {
        return new Deadline(System.nanoTime() + budget.toNanos());
    }

    public long remainingMillis() {
        return Math.max(0, (atNanos - System.nanoTime()) / 1_000_000);
    }
}
