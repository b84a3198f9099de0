package dev.messengerhandover.handover.event;

import java.util.List;

/**
 * One POST to the webhook: its {@code object} ({@code page} for Messenger, {@code instagram} for Instagram direct
 * messages) and every event of every entry, in the order Meta sent them. Each event's envelope names its entry's id:
 * the Page, or the Instagram professional account.
 */
public record Delivery(String object, List<WebhookEvent> events) {

    public static final String PAGE = "page";
    public static final String INSTAGRAM = "instagram";

    public Delivery {
        events = List.copyOf(events);
    }

    /** A delivery of messaging events this function handles; anything else is acknowledged and ignored. */
    public boolean isMessaging() {
        return PAGE.equals(object) || INSTAGRAM.equals(object);
    }

    public boolean isInstagram() {
        return INSTAGRAM.equals(object);
    }
}
