package dev.messengerhandover.handover;

/** Why a bot gave no usable answer; the user then gets the catalogue's fallback and the offer of a person. */
public enum BotFailure {
    /** No answer within the time the delivery could give it. */
    TIMEOUT("timeout"),
    /** A server error (5xx), or no connection. */
    ERROR("error"),
    /** Throttled (429, ThrottlingException). */
    THROTTLED("throttled"),
    /** The request was refused (4xx other than throttling: a bad setting, a guardrail, a validation). */
    REFUSED("refused"),
    /** An answer that is not what the contract says (not JSON, wrong shape). */
    MALFORMED("malformed");

    private final String wire;

    BotFailure(String wire) {
        this.wire = wire;
    }

    /** The name metrics and logs use ({@code BotFailures} metric, dimension {@code Kind}). */
    public String wire() {
        return wire;
    }
}
