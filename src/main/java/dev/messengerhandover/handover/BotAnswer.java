package dev.messengerhandover.handover;

import java.util.List;

/**
 * What the bot said: messages for the user (each a text with quick replies), and/or a hand-over to a person with its
 * reason ({@code null}: none). Nothing is cut here: the platform's limits are applied by the rules when they send.
 *
 * @param usage what the answer cost, for a model that counts tokens ({@link Usage#NONE} otherwise)
 */
public record BotAnswer(List<Message> messages, String handover, Usage usage) {

    public BotAnswer {
        messages = messages == null ? List.of() : List.copyOf(messages);
        usage = usage == null ? Usage.NONE : usage;
    }

    public BotAnswer(List<Message> messages, String handover) {
        this(messages, handover, Usage.NONE);
    }

    /** One message: its text ({@code null} or blank: none) and its quick replies. */
    public record Message(String text, List<Reply> quickReplies) {
        public Message {
            quickReplies = quickReplies == null ? List.of() : List.copyOf(quickReplies);
        }
    }

    /** A quick reply (a button on WhatsApp): what it says, and the payload its tap brings back. */
    public record Reply(String title, String payload) {
    }

    /** Tokens a language model read and wrote for the answer. */
    public record Usage(long inputTokens, long outputTokens) {
        public static final Usage NONE = new Usage(0, 0);
    }
}
