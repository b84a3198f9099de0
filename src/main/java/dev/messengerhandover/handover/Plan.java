package dev.messengerhandover.handover;

import java.util.List;

/**
 * What one event does to a thread: the state once the event is recorded, and the Graph calls to make, in order.
 * {@code changed} is false when the event leaves the stored thread as it was (nothing to write).
 */
public record Plan(ThreadState state, List<Step> steps, boolean changed) {
    public Plan {
        steps = List.copyOf(steps);
    }

    public static Plan nothing(ThreadState state) {
        return new Plan(state, List.of(), false);
    }

    /**
     * An event that changes nothing now but whose meaning depends on the state (a control event we already knew of):
     * it is written as applied, so that a late redelivery, once the thread has moved on, is not taken as news.
     */
    public static Plan remember(ThreadState state) {
        return new Plan(state, List.of(), true);
    }

    public boolean hasEffects() {
        return steps.stream().anyMatch(Step::hasEffect);
    }
}
