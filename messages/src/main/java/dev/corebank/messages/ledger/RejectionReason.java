package dev.corebank.messages.ledger;

/** Why the ledger refused a command. */
public enum RejectionReason {
    INSUFFICIENT_FUNDS,
    ACCOUNT_NOT_FOUND,
    /** The account is FROZEN or CLOSED. */
    ACCOUNT_NOT_OPEN,
    CURRENCY_MISMATCH,
    SAME_ACCOUNT,
    /** Zero or negative, or a balance that would overflow. */
    INVALID_AMOUNT,
    /**
     * A reference longer than {@link LedgerCommand#MAX_REFERENCE_LENGTH} characters, or holding a NUL
     * character (which PostgreSQL cannot store in text).
     */
    INVALID_REFERENCE,
    /** A PlaceHold whose expiry is not in the future. */
    INVALID_EXPIRY,
    /** A PlaceHold for a hold id that already exists (under another command id). */
    HOLD_EXISTS,
    HOLD_NOT_FOUND,
    /** A capture or void after the hold's expiry; the expiry releases it. */
    HOLD_EXPIRED,
    /** The hold was already captured, voided or expired: each hold resolves once. */
    HOLD_ALREADY_RESOLVED,
    CAPTURE_EXCEEDS_HOLD
}
