package dev.corebank.account.ledger;

/**
 * A transaction locked rows chosen from a read that is no longer true (a hold placed meanwhile by another
 * transaction). Nothing was written; running the whole transaction again is the remedy.
 */
public class LockSetChanged extends RuntimeException {

    public LockSetChanged(String detail) {
        super(detail, null, false, false);
    }
}
