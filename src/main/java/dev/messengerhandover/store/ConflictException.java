package dev.messengerhandover.store;

/** Somebody else wrote the thread since we read it: read again and decide again. */
public class ConflictException extends Exception {
    public ConflictException() {
        super("thread changed since it was read", null, false, false);
    }
}
