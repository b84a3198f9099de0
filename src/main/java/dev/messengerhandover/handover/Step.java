package dev.messengerhandover.handover;

/** A Graph API call the rules ask for. The state changes it implies are applied only once Graph confirms it. */
public sealed interface Step {

    /**
     * Send API message ({@code messaging_type: RESPONSE}); {@code offerPerson} adds the "Talk to a person" reply,
     * {@code survey} the answers to the satisfaction question instead.
     */
    record Send(String text, boolean offerPerson, boolean survey) implements Step {
        public Send(String text, boolean offerPerson) {
            this(text, offerPerson, false);
        }
    }

    /**
     * The hand-over notice and the pass in one Send API call ({@code thread_control: pass}), where Conversation
     * Routing is configured. {@code metadata} is the agent's context, for the separate pass should Graph refuse this.
     */
    record SendAndPass(String text, String targetAppId, Reason reason, String metadata) implements Step {
    }

    /** {@code pass_thread_control} to {@code targetAppId}, with the agent's context in {@code metadata}. */
    record Pass(String targetAppId, Reason reason, String metadata) implements Step {
    }

    /** {@code take_thread_control}: the bot takes the thread back. */
    record Take(Reason reason) implements Step {
    }

    /**
     * The team is told (an SNS message) about the hand-over made at {@code handedOverAt} that nobody answered:
     * {@code why} it is told now; {@code lastUserLine} is what the user said last.
     */
    record Alert(long handedOverAt, Reason reason, String lastUserLine, Why why) implements Step {
        public enum Why {
            /** The wait passed {@code notify-after}. */
            UNANSWERED,
            /** The bot could not take the thread back to give up on the wait (Graph refused, or blocks takes). */
            TAKE_REFUSED,
            /** Control lapsed before anybody answered, or was alerted: the user is the bot's again. */
            LAPSED
        }

        public boolean takeRefused() {
            return why == Why.TAKE_REFUSED;
        }
    }

    /**
     * {@code take_thread_control} of a hand-over nobody answered; once Graph confirms, the bot tells the user
     * ({@code text}) as its own step.
     */
    record GiveUp(String text) implements Step {
    }

    /** {@code thread_owner}: ask Graph who owns the thread, when what we hear contradicts what we stored. */
    record LookupOwner(Reason why) implements Step {
    }

    /** Whether the call changes something for the user, so that it must not run twice for one event. */
    default boolean hasEffect() {
        return switch (this) {
            case Send send -> true;
            case SendAndPass handoff -> true;
            case Pass pass -> true;
            case Take take -> true;
            case Alert alert -> true;
            case GiveUp giveUp -> true;
            case LookupOwner lookup -> false;
        };
    }

    /** The Graph call's name, for logs. */
    default String call() {
        return switch (this) {
            case Send send -> "messages";
            case SendAndPass handoff -> "messages+pass";
            case Pass pass -> "pass_thread_control";
            case Take take -> "take_thread_control";
            case Alert alert -> "alert";
            case GiveUp giveUp -> "take_thread_control(give up)";
            case LookupOwner lookup -> "thread_owner";
        };
    }
}
