package dev.messengerhandover.retry;

import java.time.Duration;

/**
 * The time left for one delivery: Messenger gives up after 20 s, so calls, retries and waits stop when this runs out.
 * Compared as {@code nanoTime}, which never jumps.
 */
public record Deadline(long atNanos) {

    /** Kept from Lambda's own time-out for the answer and the metrics lines after the work. */
    static final long LAMBDA_MARGIN_MILLIS = 1_000;

    public static Deadline in(Duration budget) {
        return new Deadline(System.nanoTime() + budget.toNanos());
    }

    /**
     * The budget, but never past what Lambda leaves this invocation ({@code remainingMillis}, from its context; 0 or
     * less, or more than Lambda's 15-minute limit, where there is no Lambda runtime to say): whatever the function's
     * timeout is set to, the work ends before Lambda would cut it off.
     */
    public static Deadline forInvocation(Duration budget, long remainingMillis) {
        var deadline = in(budget);
        if (remainingMillis <= 0 || remainingMillis > Duration.ofMinutes(15).toMillis()) {
            return deadline;
        }
        return deadline.atMost(Duration.ofMillis(Math.max(0, remainingMillis - LAMBDA_MARGIN_MILLIS)));
    }

    public long remainingMillis() {
        return Math.max(0, (atNanos - System.nanoTime()) / 1_000_000);
    }

    /** Whether at least {@code millis} are left. */
    public boolean covers(long millis) {
        return remainingMillis() >= millis;
    }

    /** This deadline, {@code millis} earlier: the time for work that must leave room for what comes after it. */
    public Deadline less(long millis) {
        return new Deadline(atNanos - millis * 1_000_000);
    }

    /** The earlier of this deadline and one {@code budget} from now. */
    public Deadline atMost(Duration budget) {
        return new Deadline(Math.min(atNanos, System.nanoTime() + budget.toNanos()));
    }
}
