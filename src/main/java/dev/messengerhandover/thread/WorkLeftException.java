package dev.messengerhandover.thread;

/**
 * The delivery's time ran out with steps of an event left undone. What Graph confirmed is stored, and the steps left
 * with it: the webhook answers 503 so that Messenger redelivers, and the redelivery (or the thread's next delivery,
 * or the sweep) finishes them. No stack trace: it says nothing the message does not.
 */
public class WorkLeftException extends RuntimeException {
    public WorkLeftException(String message) {
        super(message, null, false, false);
    }
}
