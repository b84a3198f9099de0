package dev.messengerhandover.account;

import dev.messengerhandover.handover.Limits;

/** Where an account's conversations happen: a Facebook Page on Messenger, or an Instagram professional account. */
public enum AccountKind {
    MESSENGER("messenger", new Limits(2000, 13, 20)),
    INSTAGRAM("instagram", new Limits(1000, 13, 20));

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
