package dev.messengerhandover.handover;

import java.util.ArrayList;
import java.util.List;

/**
 * What we know of one conversation (a Page and a user): who owns it since when and why, how often in a row the bot did
 * not understand, the recent transcript (the context handed to agents) and the recent transitions, newest first.
 */
public record ThreadState(String pageId, String userId, String ownerAppId, long since, Reason reason, int fallbacks,
        List<Line> transcript, List<Transition> history) {

    /** Lines and transitions kept per thread: enough for an agent's context and an operator's look, in one item. */
    public static final int MAX_TRANSCRIPT = 12;
    public static final int MAX_HISTORY = 20;
    public static final int MAX_LINE_CHARS = 300;
    public static final int MAX_DETAIL_CHARS = 120;

    public ThreadState {
        transcript = List.copyOf(transcript);
        history = List.copyOf(history);
    }

    /** A thread nobody has written about yet: the Primary Receiver (the bot) owns it by default. */
    public static ThreadState initial(String pageId, String userId, String botAppId) {
        return new ThreadState(pageId, userId, botAppId, 0L, Reason.DEFAULT, 0, List.of(), List.of());
    }

    public ThreadState withOwner(String appId, long at, Reason why, Transition transition) {
        var h = new ArrayList<Transition>(history.size() + 1);
        h.add(transition);
        h.addAll(history.subList(0, Math.min(history.size(), MAX_HISTORY - 1)));
        return new ThreadState(pageId, userId, appId, at, why, fallbacks, transcript, h);
    }

    public ThreadState withTransition(Transition transition) {
        return withOwner(ownerAppId, since, reason, transition);
    }

    public ThreadState withFallbacks(int count) {
        return new ThreadState(pageId, userId, ownerAppId, since, reason, count, transcript, history);
    }

    public ThreadState withLine(Line line) {
        var t = new ArrayList<Line>(transcript.size() + 1);
        int from = Math.max(0, transcript.size() - (MAX_TRANSCRIPT - 1));
        t.addAll(transcript.subList(from, transcript.size()));
        t.add(line);
        return new ThreadState(pageId, userId, ownerAppId, since, reason, fallbacks, t, history);
    }

    /** One line of the conversation: who said it and what. */
    public record Line(long at, Speaker who, String text) {
        public Line {
            text = text == null ? "" : Text.clip(text, MAX_LINE_CHARS);
        }
    }

    /**
     * One change of control: what happened, from which app to which, why ({@code detail} adds Graph's words where
     * there are some), and how long the previous owner held the thread, when known.
     */
    public record Transition(long at, TransitionKind kind, String fromAppId, String toAppId, Reason reason,
            String detail, Long heldMillis) {
        public Transition {
            detail = Text.clip(detail, MAX_DETAIL_CHARS);
        }
    }
}
