package dev.messengerhandover.handover;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a plan's steps in order against the outside world (Graph, SNS), folding each answer into the state through the
 * rules: a confirmation through {@link ThreadControl#confirmed} (and what follows it, {@link ThreadControl#after}), a
 * refusal through {@link ThreadControl#refused}, whose own plan runs the same way. No step starts unless the time left
 * covers it; when the time runs out, before a step or during one, the run stops and hands back what is left, to be
 * stored with the thread and finished by Messenger's redelivery (or the next delivery, or the sweep). What Graph
 * confirmed is in the state by then, so nothing confirmed is done twice.
 *
 * <p>An alert is never left over: the alert the team is owed is in the state ({@code Followup.owed}) until SNS takes
 * it, and the sweep sends what is owed.
 */
public final class Execution {

    private Execution() {
    }

    /** What running one step came to. */
    public sealed interface Result {

        /** Confirmed: {@code owner} is what a {@code thread_owner} step answered, {@code messageId} a message's id. */
        record Confirmed(OwnerAnswer owner, String messageId) implements Result {
            public static final Confirmed DONE = new Confirmed(null, null);
        }

        /** Refused for good (never worth the same call again): why, and Graph's words. */
        record Refused(Refusal refusal, String error) implements Result {
        }

        /** Not taken, and nothing changes: an alert SNS did not take (it stays owed for the next sweep). */
        record NotTaken(String why) implements Result {
        }

        /** The time ran out before an answer: whether the call went through is unknown. It is left, with the rest. */
        record OutOfTime() implements Result {
        }

        /** The bot answered (an {@link Step.AskBot}). */
        record Answered(BotAnswer answer) implements Result {
        }

        /** The bot gave no usable answer (an {@link Step.AskBot}): the rules fall back. */
        record BotFailed(BotFailure failure) implements Result {
        }
    }

    /** The outside world as the steps meet it, and its clock. */
    public interface World {

        /** Whether the time left covers {@code step} (its call and its retries' first attempt). */
        boolean hasTimeFor(Step step);

        /** Runs {@code step} (with the retries the time left allows) for the thread as it is now. */
        Result run(ThreadState state, Step step);

        /** {@code thread_owner} now; {@code null} when Graph does not answer. Asked only when the time covers it. */
        OwnerAnswer ownerNow();

        /** The time now (epoch ms). */
        long now();
    }

    /** The state once the run ended (as it is to be stored) and the steps left undone ({@code []}: none). */
    public record Outcome(ThreadState state, List<Step> left) {
        public Outcome {
            left = List.copyOf(left);
        }

        public boolean finished() {
            return left.isEmpty();
        }
    }

    private static final Step LOOKUP = new Step.LookupOwner(Reason.PASS_REFUSED);

    public static Outcome run(ThreadControl control, ThreadState state, List<Step> steps, World world) {
        var todo = new ArrayDeque<Step>(steps);
        var s = state;
        boolean typingShown = false;
        while (!todo.isEmpty()) {
            var step = todo.peekFirst();
            if (skippable(s, step)) {
                todo.removeFirst();
                continue;
            }
            var instead = control.beforeStep(s, step, world.now());
            if (instead != null) {
                todo.removeFirst();
                s = instead.state();
                pushFront(todo, instead.steps());
                continue;
            }
            if (!world.hasTimeFor(step)) {
                if (step instanceof Step.Alert) {
                    todo.removeFirst(); // it stays owed: the next sweep sends it; the rest may still fit
                    continue;
                }
                break;
            }
            var result = world.run(s, step);
            switch (result) {
                case Result.OutOfTime out -> {
                    return new Outcome(control.scheduled(s), left(todo, typingShown));
                }
                case Result.NotTaken notTaken -> todo.removeFirst();
                case Result.Answered answered -> {
                    todo.removeFirst();
                    var ask = (Step.AskBot) step;
                    var next = control.botAnswered(s, answered.answer(), ask.routing(), world.now());
                    s = next.state();
                    pushFront(todo, next.steps());
                }
                case Result.BotFailed failed -> {
                    todo.removeFirst();
                    var next = control.botFailed(s, failed.failure(), world.now());
                    s = next.state();
                    pushFront(todo, next.steps());
                }
                case Result.Confirmed confirmed -> {
                    todo.removeFirst();
                    typingShown |= step instanceof Step.Typing;
                    long now = world.now();
                    s = control.confirmed(s, step, now, confirmed.owner(), confirmed.messageId());
                    var next = control.after(s, step, now);
                    s = next.state();
                    pushFront(todo, next.steps());
                }
                case Result.Refused refused -> {
                    todo.removeFirst();
                    var owner = ThreadControl.ownerMattersWhenRefused(step, refused.refusal())
                            && world.hasTimeFor(LOOKUP) ? world.ownerNow() : null;
                    var next = control.refused(s, step, world.now(), owner, refused.refusal(), refused.error());
                    s = next.state();
                    pushFront(todo, next.steps());
                }
            }
        }
        return new Outcome(control.scheduled(s), left(todo, typingShown));
    }

    /** An alert no longer owed (SNS took it meanwhile): nothing to send. */
    private static boolean skippable(ThreadState s, Step step) {
        return step instanceof Step.Alert alert && (s.followup().owed() == null
                || !s.followup().owed().alert().equals(alert));
    }

    /**
     * The steps left, alerts aside (they stay owed in the state). A bot left to ask later gets its "typing..." again
     * unless this run showed it: the user should see it before the answer the redelivery brings.
     */
    private static List<Step> left(ArrayDeque<Step> todo, boolean typingShown) {
        var left = new ArrayList<Step>(todo.size() + 1);
        for (var step : todo) {
            if (!(step instanceof Step.Alert)) {
                left.add(step);
            }
        }
        if (!typingShown && !left.isEmpty() && left.getFirst() instanceof Step.AskBot) {
            left.addFirst(new Step.Typing());
        }
        return left;
    }

    private static void pushFront(ArrayDeque<Step> todo, List<Step> steps) {
        for (int i = steps.size() - 1; i >= 0; i--) {
            todo.addFirst(steps.get(i));
        }
    }
}
