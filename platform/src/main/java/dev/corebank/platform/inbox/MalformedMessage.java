package dev.corebank.platform.inbox;

/** A message that no retry can fix (no id, unreadable payload): it goes straight to the dead-letter topic. */
public class MalformedMessage extends RuntimeException {

    public MalformedMessage(String message) {
        super(message);
    }

    public MalformedMessage(String message, Throwable cause) {
        super(message, cause);
    }
}
