package dev.messengerhandover.account;

import dev.messengerhandover.handover.Limits;

/**
 * Where an account's conversations happen: a Facebook Page on Messenger, an Instagram professional account, or a
 * WhatsApp Business phone number.
 */
public enum AccountKind {
    MESSENGER("messenger", new Limits(2000, 13, 20)),
    INSTAGRAM("instagram", new Limits(1000, 13, 20)),
    /** 4096 characters, 1024 under reply buttons (at most three); a pass is a call of its own, no take. */
    WHATSAPP("whatsapp", new Limits(4096, 1024, 3, 20, false, false));

    private final String wire;
    private final Limits limits;

    AccountKind(String wire, Limits limits) {
        this.wire = wire;
        this.limits = limits;
    }

    public String wire() {
        return wire;
    }

    /** The longest text the Send API takes on this platform. */
    public int textLimit() {
        return limits.text();
    }

    /** What one message may hold on this platform: text, quick replies, their titles. */
    public Limits limits() {
        return limits;
    }
}
