package dev.messengerhandover.account;

/** Where an account's conversations happen: a Facebook Page on Messenger, or an Instagram professional account. */
public enum AccountKind {
    MESSENGER("messenger", 2000),
    INSTAGRAM("instagram", 1000);

    private final String wire;
    private final int textLimit;

    AccountKind(String wire, int textLimit) {
        this.wire = wire;
        this.textLimit = textLimit;
    }

    public String wire() {
        return wire;
    }

    /** The longest text the Send API takes on this platform. */
    public int textLimit() {
        return textLimit;
    }
}
