package dev.messengerhandover.handover.event;

/**
 * Where an event belongs: the Page, the channel, who sent it to whom and when (epoch milliseconds).
 * For echoes the sender is the Page and the recipient the user; {@link WebhookEvent#userId()} hides that difference.
 */
public record Envelope(String pageId, Channel channel, String senderId, String recipientId, long timestamp) {
}
