package dev.corebank.platform.idempotency;

/** The first request with this key is still waiting for its outcome; it will answer, and so will a later retry. */
public class RequestInFlight extends RuntimeException {

    public RequestInFlight(String key) {
        super("a request with Idempotency-Key '" + key + "' is still in flight; retry once it has been answered",
                null, false, false);
    }
}
