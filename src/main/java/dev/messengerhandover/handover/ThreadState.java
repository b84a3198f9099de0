package dev.messengerhandover.handover;

import java.util.ArrayList;
import java.util.List;

/**
 * What we know of one conversation (a Page and a user): who owns it since when and why, when that control expires, how
 * often in a row the bot did not understand, when the user last wrote (the messaging window), the recent transcript
 * (the context handed to agents) and the recent transitions, newest first.
 *
 * @param ownerAppId the app that controls the thread; the bot also stands for "idle", which the default app answers
 * @param expiresAt when another app's control lapses for lack of activity (epoch ms; 0: not known, or the bot's)
 * @param userAt when the user last wrote (epoch ms; 0: never, as far as we know)
 */
public record ThreadState(String pageId, String userId, String ownerAppId, long since, Reason reason, long expiresAt,
        int fallbacks, long userAt, List<Line> transcript, List<Transition> history) {

    /** Lines and transitions kept per thread: enough for an agent's context and an operator's look, in one item. */
    public static final int MAX_TRANSCRIPT = 12;
    public static final int MAX_HISTORY = 20;
    public static final int MAX_LINE_CHARS = 300;
    public static final int MAX_DETAIL_CHARS = 120;

    public ThreadState {
        transcript = List.copyOf(transcript);
        history = List.copyOf(history);
    }

    /** A thread nobody has written about yet: the bot, the Page's default app, answers it. */
    public static ThreadState initial(String pageId, String userId, String botAppId) {
        return new ThreadState(pageId, userId, botAppId, 0L, Reason.DEFAULT, 0L, 0, 0L, List.of(), List.of());
    }

    /** Control changes hands ({@code expiresAt}: when the new owner's control lapses, 0 for the bot). */
    public ThreadState withOwner(String appId, long at, Reason why, long expiresAt, Transition transition) {
        return new ThreadState(pageId, userId, appId, at, why, expiresAt, fallbacks, userAt, transcript,
                prepend(transition));
    }

    public ThreadState withTransition(Transition transition) {
        return new ThreadState(pageId, userId, ownerAppId, since, reason, expiresAt, fallbacks, userAt, transcript,
                prepend(transition));
    }

    public ThreadState withExpiry(long expiresAt) {
        return new ThreadState(pageId, userId, ownerAppId, since, reason, expiresAt, fallbacks, userAt, transcript,
                history);
    }

    public ThreadState withFallbacks(int count) {
        return new ThreadState(pageId, userId, ownerAppId, since, reason, expiresAt, count, userAt, transcript,
                history);
    }

    /** A line of the transcript; a line of the user's also moves their messaging window. */
    public ThreadState withLine(Line line) {
        var t = new ArrayList<Line>(transcript.size() + 1);
        int from = Math.max(0, transcript.size() - (MAX_TRANSCRIPT - 1));
        t.addAll(transcript.subList(from, transcript.size()));
        t.add(line);
        long user = line.who() == Speaker.USER ? Math.max(userAt, line.at()) : userAt;
        return new ThreadState(pageId, userId, ownerAppId, since, reason, expiresAt, fallbacks, user, t, history);
    }

    /** The user wrote at {@code at} (something with no text: a sticker, a reaction), which opens their window too. */
    public ThreadState withUserAt(long at) {
        return new ThreadState(pageId, userId, ownerAppId, since, reason, expiresAt, fallbacks, Math.max(userAt, at),
                transcript, history);
    }

    private List<Transition> prepend(Transition transition) {
        var h = new ArrayList<Transition>(history.size() + 1);
        h.add(transition);
        h.addAll(history.subList(0, Math.min(history.size(), MAX_HISTORY - 1)));
        return h;
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
