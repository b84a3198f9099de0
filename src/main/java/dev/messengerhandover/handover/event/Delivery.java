package dev.messengerhandover.handover.event;

import java.util.List;

/** One POST to the webhook: its {@code object} and every event of every entry, in the order Messenger sent them. */
public record Delivery(String object, List<WebhookEvent> events) {
    public Delivery {
        events = List.copyOf(events);
    }

    public boolean isPage() {
        return "page".equals(object);
    }
}
