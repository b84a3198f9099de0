package dev.messengerhandover.handover;

/** The part an app plays in a thread, as the operator API shows it. */
public enum Role {
    BOT("bot"),
    PAGE_INBOX("page_inbox"),
    OTHER("other"),
    IDLE("idle");

    private final String wire;

    Role(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
