package dev.messengerhandover.handover;

/**
 * What one message may hold on the account's platform: characters of text, quick replies (buttons), characters of a
 * reply's title. The platform's limits, not a bot's: whatever a bot answers is fitted to them, never cut mid-word.
 */
public record Limits(int text, int quickReplies, int title) {

    /** Messenger's Send API: 2000 characters, 13 quick replies of at most 20 characters. */
    public static final Limits MESSENGER = new Limits(2000, 13, 20);

    public Limits {
        if (text < 1 || quickReplies < 0 || title < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
