package dev.messengerhandover.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.messengerhandover.handover.Reason;
import dev.messengerhandover.handover.ThreadState;
import dev.messengerhandover.handover.ThreadState.Transition;
import dev.messengerhandover.metrics.Emf.Measurement;
import dev.messengerhandover.metrics.Metric.Dimension;

/** What a thread's change counts for, read off the transitions it gained: pure, no clock, no output. */
public final class Measurements {

    private Measurements() {
    }

    /** The measurements of the change from {@code before} to {@code after}, which {@code botAppId} handles. */
    public static List<Measurement> of(ThreadState before, ThreadState after, String botAppId) {
        var account = after.pageId();
        var out = new ArrayList<Measurement>();
        for (var t : gained(before, after)) {
            switch (t.kind()) {
                case PASSED -> out.add(count(Metric.HANDOFFS, account, Dimension.REASON, t.reason().wire()));
                case PASS_FAILED -> out.add(count(Metric.PASSES_REFUSED, account, null, null));
                case ANSWERED -> {
                    if (t.heldMillis() != null) {
                        out.add(new Measurement(Metric.TIME_TO_FIRST_AGENT_REPLY, Map.of(Dimension.ACCOUNT, account),
                                t.heldMillis()));
                    }
                }
                case RETURNED, RELEASED, EXPIRED, TAKEN_BACK -> {
                    if (t.fromAppId() == null || t.fromAppId().equals(botAppId)) {
                        break; // the bot had it already: nothing came back
                    }
                    out.add(count(Metric.RETURNS, account, Dimension.KIND, returnKind(t)));
                    if (t.heldMillis() != null) {
                        out.add(new Measurement(Metric.TIME_HELD_BY_AGENTS, Map.of(Dimension.ACCOUNT, account),
                                t.heldMillis()));
                    }
                    if (t.reason() == Reason.NOBODY_ANSWERED) {
                        out.add(count(Metric.UNANSWERED_HANDOFFS, account, Dimension.OUTCOME, "gave_up"));
                    } else if (t.reason() == Reason.UNANSWERED) {
                        out.add(count(Metric.UNANSWERED_HANDOFFS, account, Dimension.OUTCOME, "expired"));
                    }
                }
                case ALERTED -> out.add(count(Metric.UNANSWERED_HANDOFFS, account, Dimension.OUTCOME, "alerted"));
                case SURVEY_ANSWERED -> out.add(count(Metric.SATISFACTION_ANSWERS, account, Dimension.ANSWER,
                        t.reason() == Reason.SATISFIED ? "yes" : "no"));
                case BOT_FAILED -> out.add(count(Metric.BOT_FAILURES, account, Dimension.KIND,
                        t.detail() == null ? "unknown" : t.detail()));
                default -> {
                    // followed, resync, declined requests, skipped messages, deferred hand-overs: not counted
                }
            }
        }
        return out;
    }

    /** What a model's answer cost on {@code account}: tokens read and written. */
    public static List<Measurement> tokens(String account, long input, long output) {
        return List.of(new Measurement(Metric.BOT_INPUT_TOKENS, Map.of(Dimension.ACCOUNT, account), input),
                new Measurement(Metric.BOT_OUTPUT_TOKENS, Map.of(Dimension.ACCOUNT, account), output));
    }

    /** A webhook delivery and what the function answered: ok, ignored, rejected, storage_error, busy, unfinished. */
    public static Measurement delivery(String outcome) {
        return new Measurement(Metric.DELIVERIES, Map.of(Dimension.OUTCOME, outcome), 1);
    }

    /** The transitions {@code after} has that {@code before} had not (history is newest first), oldest first. */
    static List<Transition> gained(ThreadState before, ThreadState after) {
        var old = before.history();
        var now = after.history();
        int n;
        if (old.isEmpty()) {
            n = now.size();
        } else {
            n = now.indexOf(old.get(0));
            if (n < 0) {
                n = 0; // cannot tell what is new (a state from elsewhere): count nothing rather than twice
            }
        }
        var gained = new ArrayList<>(now.subList(0, n));
        java.util.Collections.reverse(gained);
        return gained;
    }

    private static String returnKind(Transition t) {
        return switch (t.kind()) {
            case RETURNED -> "done";
            case RELEASED -> "released";
            case EXPIRED -> "expired";
            default -> "taken_back";
        };
    }

    private static Measurement count(Metric metric, String account, String dimension, String value) {
        return new Measurement(metric, dimension == null ? Map.of(Dimension.ACCOUNT, account)
                : Map.of(Dimension.ACCOUNT, account, dimension, value), 1);
    }
}
