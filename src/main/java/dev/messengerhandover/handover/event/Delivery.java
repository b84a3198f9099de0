package dev.messengerhandover.handover.event;

import java.util.List;

/**
 * One POST to the webhook: its {@code object} ({@code page} for Messenger, {@code instagram} for Instagram direct
 * messages, {@code whatsapp_business_account} for WhatsApp) and every event of every entry, in the order Meta sent
 * them. Each event's envelope names its account: the Page, the Instagram professional account, or the WhatsApp phone
 * number.
 */
public record Delivery(String object, List<WebhookEvent> events) {

    public static final String PAGE = "page";
    public static final String INSTAGRAM = "instagram";
    public static final String WHATSAPP = "whatsapp_business_account";

    public Delivery {
        events = List.copyOf(events);
    }

    /** A delivery of messaging events this function handles; anything else is acknowledged and ignored. */
    public boolean isMessaging() {
        return PAGE.equals(object) || INSTAGRAM.equals(object) || WHATSAPP.equals(object);
    }

    public boolean isInstagram() {
        return INSTAGRAM.equals(object);
    }
}
