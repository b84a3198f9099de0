package dev.messengerhandover.thread;

/**
 * A thread stayed claimed by another delivery, or kept changing under us, until the delivery's budget ran out. Not a
 * failure of anything: the webhook answers 503 and Messenger's redelivery finds the thread free. No stack trace: it
 * says nothing the message does not.
 */
public class ThreadBusyException extends RuntimeException {
    public ThreadBusyException(String message) {
        super(message, null, false, false);
    }
}
