package dev.messengerhandover.store;

/** Our own storage failed or stayed busy: the delivery must answer 5xx so that Messenger sends it again. */
public class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
