package dev.messengerhandover.bot;

import dev.messengerhandover.handover.BotFailure;

/** A bot gave no usable answer: why ({@link BotFailure}), and a short detail for the log (never user text). */
public final class BotException extends RuntimeException {

    private final BotFailure failure;

    public BotException(BotFailure failure, String detail) {
        super(detail, null, false, false);
        this.failure = failure;
    }

    public BotFailure failure() {
        return failure;
    }
}
