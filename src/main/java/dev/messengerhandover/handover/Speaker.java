package dev.messengerhandover.handover;

/** Who said a line of the transcript. The wire names are stored: never change one. */
public enum Speaker {
    USER("user"),
    BOT("bot"),
    /** A person answering from the Page Inbox (an echo with the Inbox's app id). */
    AGENT("agent");

    private final String wire;

    Speaker(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** The speaker stored as {@code wire}; an unknown name (written by a newer version) reads as an agent. */
    public static Speaker fromWire(String wire) {
        for (var s : values()) {
            if (s.wire.equals(wire)) {
                return s;
            }
        }
        return AGENT;
    }
}
