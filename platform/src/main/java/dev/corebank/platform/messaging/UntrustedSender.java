package dev.corebank.platform.messaging;

/**
 * A message whose {@code ce_source} is not one of the services allowed to send its type: forged, or sent by a
 * service that has no business sending it. It is never applied; its consumer dead-letters it.
 */
public class UntrustedSender extends RuntimeException {

    private final String type;
    private final String source;

    public UntrustedSender(String type, String source, String message) {
        super(message);
        this.type = type;
        this.source = source;
    }

    /** The record's {@code ce_type}. */
    public String type() {
        return type;
    }

    /** The record's {@code ce_source}, or null when it had none. */
    public String source() {
        return source;
    }
}
