package dev.messengerhandover.handover;

/**
 * How the Page routes conversations (Meta's Conversation Routing). What the delivery channel tells about ownership
 * depends on it.
 */
public enum Routing {
    /**
     * A default app is set, and it is this bot: an idle thread reaches the bot on {@code messaging}, every other app
     * hears it on {@code standby}, so {@code messaging} means the bot may answer; Send API calls may carry
     * {@code thread_control}; the bot may take threads back.
     */
    ROUTING,
    /**
     * No default app: every app hears idle threads on {@code messaging} and may answer them, so the channel no longer
     * says who holds a thread; {@code take_thread_control} is blocked, {@code request_thread_control} works.
     */
    DEFAULT_BEHAVIOUR
}
