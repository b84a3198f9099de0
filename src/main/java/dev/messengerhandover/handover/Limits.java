package dev.messengerhandover.handover;

/**
 * What the account's platform allows: characters of text (of a text that carries quick replies or buttons, on
 * WhatsApp fewer), quick replies (buttons), characters of a reply's title in one message (the platform's limits, not a bot's: whatever a bot answers is fitted to them, never cut
 * mid-word); whether a message may carry a pass, and whether the bot may take a thread back.
 */
public record Limits(int text, int textWithReplies, int quickReplies, int title, boolean passWithMessage,
        boolean takeBack) {

    /** Messenger's Send API: 2000 characters, 13 quick replies of at most 20 characters. */
    public static final Limits MESSENGER = new Limits(2000, 13, 20);

    /**
     * Messenger's and Instagram's thread control besides: a message may carry the pass ({@code thread_control}, with
     * a default app set), and the bot may take a thread back. WhatsApp's may do neither: a pass is a call of its own,
     * and only the escalation partner takes.
     */
    public Limits(int text, int quickReplies, int title) {
        this(text, text, quickReplies, title, true, true);
    }

    public Limits {
        if (text < 1 || textWithReplies < 1 || textWithReplies > text || quickReplies < 0 || title < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
