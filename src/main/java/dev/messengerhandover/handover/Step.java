package dev.messengerhandover.handover;

/** A Graph API call the rules ask for. The state changes it implies are applied only once Graph confirms it. */
public sealed interface Step {

    /** Send API message ({@code messaging_type: RESPONSE}); {@code offerPerson} adds the "Talk to a person" reply. */
    record Send(String text, boolean offerPerson) implements Step {
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
            case LookupOwner lookup -> "thread_owner";
        };
    }
}
