package dev.messengerhandover.account;

import dev.messengerhandover.handover.Limits;

/**
 * Where an account's conversations happen: a Facebook Page on Messenger, an Instagram professional account, or a
 * WhatsApp Business phone number.
 */
public enum AccountKind {
    MESSENGER("messenger", new Limits(2000, 13, 20), "the Page Inbox"),
    INSTAGRAM("instagram", new Limits(1000, 13, 20), "the Inbox"),
    /** 4096 characters, 1024 under reply buttons (at most three); a pass is a call of its own, no take. */
    WHATSAPP("whatsapp", new Limits(4096, 1024, 3, 20, false, false), "the helpdesk");

    private final String wire;
    private final Limits limits;
    private final String agentsPlace;

    AccountKind(String wire, Limits limits, String agentsPlace) {
        this.wire = wire;
        this.limits = limits;
        this.agentsPlace = agentsPlace;
    }

    /** Where the team's agents answer, as the team's alerts name it. */
    public String agentsPlace() {
        return agentsPlace;
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
