package dev.messengerhandover.handover;

import java.util.Map;

/**
 * Why a thread has its owner, or why a transition happened. The wire names are stored, sent in the pass's metadata
 * ({@code reason=user_asked}) and shown by the operator API: never change one.
 */
public enum Reason {
    /** A new thread: the bot, the Page's default, owns it. */
    DEFAULT("default"),
    /** The user tapped "Talk to a person" (quick reply or postback payload). */
    USER_ASKED("user_asked"),
    /** Built-in NLP said the user wants a person. */
    NLP("nlp"),
    /** The user asked for a person in words. */
    ASKED_IN_WORDS("asked_in_words"),
    /** An agent answered from the Page Inbox while the bot held the thread. */
    AGENT_REPLIED("agent_replied"),
    /** Another app asked for the thread with {@code request_thread_control}. */
    REQUESTED("requested"),
    /** The Page Inbox passed the thread back: the agent clicked Done. */
    DONE("done"),
    /** A user event reached us on {@code messaging}: the thread is ours again. */
    MESSAGING_CHANNEL("messaging_channel"),
    /** Another app passed the thread to a third one. */
    PASSED_BY_OTHER("passed_by_other"),
    /** Another app took the thread. */
    TAKEN("taken"),
    /** The operator API took the thread back for the bot. */
    OPERATOR("operator"),
    /** The stored owner was corrected from {@code thread_owner}. */
    RESYNC("resync"),
    /** A request declined by {@code handover.request-policy}. */
    POLICY("policy"),
    /** A request declined because the bot does not own the thread. */
    NOT_OWNER("not_owner"),
    /** Why {@code thread_owner} was asked: a standby event while we thought the bot owned the thread. */
    STANDBY_WHILE_BOT_OWNS("standby_while_bot_owns"),
    /** Why {@code thread_owner} was asked: a take without its new owner. */
    TAKE_WITHOUT_OWNER("take_without_owner"),
    /** Why {@code thread_owner} was asked: Graph refused our pass. */
    PASS_REFUSED("pass_refused"),
    /** Why {@code thread_owner} was asked: Graph refused our take. */
    TAKE_REFUSED("take_refused"),
    /** The control of another app lapsed: no activity for 24 h. */
    CONTROL_EXPIRED("control_expired"),
    /** {@code thread_owner} said the thread is idle again. */
    THREAD_OWNER("thread_owner"),
    /** The user's messaging window (24 h since their last message) is closed. */
    OUTSIDE_WINDOW("outside_window"),
    /** {@code take_thread_control} is not available: the Page has no default app. */
    TAKE_NOT_SUPPORTED("take_not_supported"),
    /** Graph says another app controls the thread. */
    ANOTHER_APP_CONTROLS("another_app_controls"),
    /** Nobody answered the hand-over in time: the bot took the thread back. */
    NOBODY_ANSWERED("nobody_answered"),
    /** Control lapsed with the hand-over never answered. */
    UNANSWERED("unanswered"),
    /** The take that should have ended an unanswered wait was refused: the team was alerted instead. */
    GIVE_UP_REFUSED("give_up_refused"),
    /** The user said the team solved their problem. */
    SATISFIED("satisfied"),
    /** The user said the team did not solve their problem. */
    NOT_SATISFIED("not_satisfied"),
    /** The bot behind the default app decided the user needs a person. */
    BOT_DECIDED("bot_decided"),
    /** The bot gave no usable answer (the detail says why): the catalogue's fallback answered. */
    BOT_FAILED("bot_failed"),
    /** A late message of the bot's was refused: the thread is not the bot's, or the window is closed. */
    BOT_REFUSED("bot_refused"),
    /** Stored by a version that knew more reasons than this one. */
    UNKNOWN("unknown");

    /** Free-text reasons that versions before the enum stored. */
    private static final Map<String, Reason> LEGACY = Map.of(
            "standby while stored owner is the bot", STANDBY_WHILE_BOT_OWNS,
            "take_thread_control without new owner", TAKE_WITHOUT_OWNER,
            "pass refused", PASS_REFUSED,
            "take refused", TAKE_REFUSED);

    private final String wire;

    Reason(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Reason fromWire(String wire) {
        if (wire == null) {
            return DEFAULT;
        }
        for (var r : values()) {
            if (r.wire.equals(wire)) {
                return r;
            }
        }
        return LEGACY.getOrDefault(wire, UNKNOWN);
    }
}
