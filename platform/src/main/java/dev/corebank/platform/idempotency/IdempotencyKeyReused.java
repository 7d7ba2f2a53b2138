package dev.corebank.platform.idempotency;

/** An Idempotency-Key was first used with a different request: reusing it for another would be a silent mix-up. */
public class IdempotencyKeyReused extends RuntimeException {

    public IdempotencyKeyReused(String key) {
        super("Idempotency-Key '" + key + "' was first used with a different request; use a new key for a new request",
                null, false, false);
    }
}
