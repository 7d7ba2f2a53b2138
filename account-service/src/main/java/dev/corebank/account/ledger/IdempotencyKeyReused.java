package dev.corebank.account.ledger;

/** An Idempotency-Key already used for a different request on the same account. */
public class IdempotencyKeyReused extends RuntimeException {

    public IdempotencyKeyReused(String key) {
        super("the Idempotency-Key " + key + " was already used for a different request", null, false, false);
    }
}
