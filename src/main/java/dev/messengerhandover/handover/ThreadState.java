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
 * @param followup what the bot still owes the thread: an unanswered hand-over, an offer, an apology, a question
 * @param sent the ids Graph gave the bot's latest messages, oldest first: an echo of one of them is the bot's own
 *        (Instagram's echoes do not name the app that sent them)
 */
public record ThreadState(String pageId, String userId, String ownerAppId, long since, Reason reason, long expiresAt,
        int fallbacks, long userAt, List<Line> transcript, List<Transition> history, Followup followup,
        List<String> sent) {

    /** Lines and transitions kept per thread: enough for an agent's context and an operator's look, in one item. */
    public static final int MAX_TRANSCRIPT = 12;
    public static final int MAX_HISTORY = 20;
    public static final int MAX_LINE_CHARS = 300;
    public static final int MAX_DETAIL_CHARS = 120;
    /** Message ids of the bot's kept: more than its answers to one event, as long as their echoes may take. */
    public static final int MAX_SENT = 16;

    public ThreadState {
        transcript = List.copyOf(transcript);
        history = List.copyOf(history);
        followup = followup == null ? Followup.NONE : followup;
        sent = sent == null ? List.of() : List.copyOf(sent);
    }

    public ThreadState(String pageId, String userId, String ownerAppId, long since, Reason reason, long expiresAt,
            int fallbacks, long userAt, List<Line> transcript, List<Transition> history, Followup followup) {
        this(pageId, userId, ownerAppId, since, reason, expiresAt, fallbacks, userAt, transcript, history, followup,
                List.of());
    }

    /** A thread that owes nothing beyond its owner. */
    public ThreadState(String pageId, String userId, String ownerAppId, long since, Reason reason, long expiresAt,
            int fallbacks, long userAt, List<Line> transcript, List<Transition> history) {
        this(pageId, userId, ownerAppId, since, reason, expiresAt, fallbacks, userAt, transcript, history,
                Followup.NONE);
    }

    /** A thread nobody has written about yet: the bot, the Page's default app, answers it. */
    public static ThreadState initial(String pageId, String userId, String botAppId) {
        return new ThreadState(pageId, userId, botAppId, 0L, Reason.DEFAULT, 0L, 0, 0L, List.of(), List.of());
    }

    /** Control changes hands ({@code expiresAt}: when the new owner's control lapses, 0 for the bot). */
    public ThreadState withOwner(String appId, long at, Reason why, long expiresAt, Transition transition) {
        return new ThreadState(pageId, userId, appId, at, why, expiresAt, fallbacks, userAt, transcript,
                prepend(transition), followup, sent);
    }

    public ThreadState withTransition(Transition transition) {
        return new ThreadState(pageId, userId, ownerAppId, since, reason, expiresAt, fallbacks, userAt, transcript,
                prepend(transition), followup, sent);
    }

    public ThreadState withExpiry(long expiresAt) {
        return new ThreadState(pageId, userId, ownerAppId, since, reason, expiresAt, fallbacks, userAt, transcript,
                history, followup, sent);
    }

    public ThreadState withFallbacks(int count) {
        return new ThreadState(pageId, userId, ownerAppId, since, reason, expiresAt, count, userAt, transcript,
                history, followup, sent);
    }

    /** A line of the transcript; a line of the user's also moves their messaging window. */
    public ThreadState withLine(Line line) {
        var t = new ArrayList<Line>(transcript.size() + 1);
        int from = Math.max(0, transcript.size() - (MAX_TRANSCRIPT - 1));
        t.addAll(transcript.subList(from, transcript.size()));
        t.add(line);
        long user = line.who() == Speaker.USER ? Math.max(userAt, line.at()) : userAt;
        return new ThreadState(pageId, userId, ownerAppId, since, reason, expiresAt, fallbacks, user, t, history,
                followup, sent);
    }

    /** The user wrote at {@code at} (something with no text: a sticker, a reaction), which opens their window too. */
    public ThreadState withUserAt(long at) {
        return new ThreadState(pageId, userId, ownerAppId, since, reason, expiresAt, fallbacks, Math.max(userAt, at),
                transcript, history, followup, sent);
    }

    /** The state's follow-up, changed by {@code change}. */
    public ThreadState withFollowup(java.util.function.UnaryOperator<Followup> change) {
        return withFollowup(change.apply(followup));
    }

    public ThreadState withFollowup(Followup f) {
        return new ThreadState(pageId, userId, ownerAppId, since, reason, expiresAt, fallbacks, userAt, transcript,
                history, f, sent);
    }

    /** Graph gave one of the bot's messages this id ({@code null}: it did not say): its echo will be the bot's. */
    public ThreadState withSent(String messageId) {
        if (messageId == null || sent.contains(messageId)) {
            return this;
        }
        var ids = new ArrayList<String>(MAX_SENT);
        ids.addAll(sent.subList(Math.max(0, sent.size() - (MAX_SENT - 1)), sent.size()));
        ids.add(messageId);
        return new ThreadState(pageId, userId, ownerAppId, since, reason, expiresAt, fallbacks, userAt, transcript,
                history, followup, ids);
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

    /**
     * What the bot still owes a thread beyond its owner, and when the sweep should look at it next.
     *
     * @param waiting the hand-over to the Inbox no agent has answered yet ({@code null}: none)
     * @param offerAt when to offer a person again, the team being back (epoch ms; 0: no offer due)
     * @param apology a hand-over went unanswered until control lapsed: the bot's next answer says sorry first
     * @param surveyed the satisfaction question was asked and is not answered yet
     * @param dueAt when the sweep should act next (epoch ms; 0: never); kept by {@code ThreadControl.scheduled}
     * @param queue the operator queue the thread is in; kept by {@code ThreadControl.scheduled}
     * @param owed an alert the team is owed that SNS has not confirmed yet ({@code null}: none); due until it is
     */
    public record Followup(Waiting waiting, long offerAt, boolean apology, boolean surveyed, long dueAt,
            Queue queue, Owed owed) {
        public static final Followup NONE = new Followup(null, 0, false, false, 0, Queue.BOT, null);

        public Followup {
            queue = queue == null ? Queue.BOT : queue;
        }

        public Followup(Waiting waiting, long offerAt, boolean apology, boolean surveyed, long dueAt, Queue queue) {
            this(waiting, offerAt, apology, surveyed, dueAt, queue, null);
        }

        public Followup withWaiting(Waiting w) {
            return new Followup(w, offerAt, apology, surveyed, dueAt, queue, owed);
        }

        public Followup withOfferAt(long at) {
            return new Followup(waiting, at, apology, surveyed, dueAt, queue, owed);
        }

        public Followup withApology(boolean owed) {
            return new Followup(waiting, offerAt, owed, surveyed, dueAt, queue, this.owed);
        }

        public Followup withSurveyed(boolean asked) {
            return new Followup(waiting, offerAt, apology, asked, dueAt, queue, owed);
        }

        public Followup withOwed(Owed o) {
            return new Followup(waiting, offerAt, apology, surveyed, dueAt, queue, o);
        }

        public Followup scheduled(long due, Queue q) {
            return new Followup(waiting, offerAt, apology, surveyed, due, q, owed);
        }
    }

    /** An alert decided at {@code since} (epoch ms) that SNS has not taken yet: the sweep sends it again until it does. */
    public record Owed(Step.Alert alert, long since) {
    }

    /**
     * A hand-over to the Inbox that no agent has answered yet.
     *
     * @param since when Graph confirmed the pass (epoch ms)
     * @param reason why the user was handed over
     * @param alerted the team was alerted that nobody answered (once per hand-over)
     * @param takeRefused the bot tried to give up on the wait and Graph refused the take; the team was alerted
     */
    public record Waiting(long since, Reason reason, boolean alerted, boolean takeRefused) {
        public Waiting alerted(boolean takeWasRefused) {
            return new Waiting(since, reason, true, takeRefused || takeWasRefused);
        }
    }

    /** The operator queues: handed over and not answered yet, with an agent, with the bot. */
    public enum Queue {
        WAITING("waiting"),
        WITH_AGENT("with-agent"),
        BOT("bot");

        private final String wire;

        Queue(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        public static java.util.Optional<Queue> fromWire(String wire) {
            for (var q : values()) {
                if (q.wire.equals(wire)) {
                    return java.util.Optional.of(q);
                }
            }
            return java.util.Optional.empty();
        }
    }
}
