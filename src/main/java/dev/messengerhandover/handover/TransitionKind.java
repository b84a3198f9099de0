package dev.messengerhandover.handover;

/** What happened to a thread's control. The wire names are stored and shown by the operator API: never change one. */
public enum TransitionKind {
    /** The bot passed the thread (to the Page Inbox, or to an app that requested it); Graph confirmed. */
    PASSED("passed"),
    /** The thread came back to the bot: Done in the Inbox, or a message on {@code messaging} after a hold. */
    RETURNED("returned"),
    /** The bot took the thread back ({@code take_thread_control}, the operator's take). */
    TAKEN_BACK("taken_back"),
    /** Another app passed or took the thread, and the stored owner follows. */
    FOLLOWED("followed"),
    /** A {@code request_thread_control} the bot did not grant. */
    REQUEST_DECLINED("request_declined"),
    /** Graph refused a pass the rules asked for; the bot keeps the thread. */
    PASS_FAILED("pass_failed"),
    /** {@code thread_owner} said someone else owns the thread than we had stored. */
    RESYNC("resync"),
    /** The Inbox let the thread go without a webhook (Done as a release); noticed on the user's next message. */
    RELEASED("released"),
    /** Another app's control lapsed after 24 h without activity: the thread is idle, and the bot answers it. */
    EXPIRED("expired"),
    /** A message the rules wanted to send was not attempted: outside the 24 h messaging window. */
    MESSAGE_SKIPPED("message_skipped"),
    /** Graph refused the bot's take ({@code take_thread_control} is blocked without a default app). */
    TAKE_FAILED("take_failed"),
    /** The first agent message after a hand-over: the wait ended ({@code heldMillis}: how long the user waited). */
    ANSWERED("answered"),
    /** The team was alerted that nobody answered a hand-over ({@code heldMillis}: the wait so far). */
    ALERTED("alerted"),
    /** A person was asked for while the team is away, and the bot keeps the thread until they are back. */
    HANDOFF_DEFERRED("handoff_deferred"),
    /** The user answered the satisfaction question (the reason says how). */
    SURVEY_ANSWERED("survey_answered"),
    /** The bot behind the default app gave no usable answer; {@code detail} says why (timeout, throttled, ...). */
    BOT_FAILED("bot_failed"),
    /** Stored by a version that knew more kinds than this one. */
    UNKNOWN("unknown");

    private final String wire;

    TransitionKind(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static TransitionKind fromWire(String wire) {
        for (var k : values()) {
            if (k.wire.equals(wire)) {
                return k;
            }
        }
        return UNKNOWN;
    }
}
