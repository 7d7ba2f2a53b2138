package dev.corebank.transfer.idempotency;

/** The key was first used with a different request: reusing it for another would be a silent mix-up. */
public class IdempotencyKeyReused extends RuntimeException {

    public IdempotencyKeyReused(String key) {
        super("Idempotency-Key '" + key + "' was first used with a different request; use a new key for a new transfer");
    }
}
