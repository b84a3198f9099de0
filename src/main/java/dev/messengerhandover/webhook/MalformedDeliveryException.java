package dev.messengerhandover.webhook;

/** The delivery is not a Messenger webhook payload; its message is safe to show to the caller. */
public class MalformedDeliveryException extends RuntimeException {
    public MalformedDeliveryException(String message) {
        super(message, null, false, false);
    }
}
