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
    /** The hold was already voided or expired: each hold resolves once, and its money went back. */
    HOLD_ALREADY_RESOLVED,
    /**
     * The hold was already captured: each hold resolves once, and this one's money moved to its credit account.
     * Apart from {@link #HOLD_ALREADY_RESOLVED} because a sender whose capture answer never reached it (lost, or
     * dead-lettered) learns from this refusal of its void that the money moved, and must not undo its side.
     */
    HOLD_ALREADY_CAPTURED,
    CAPTURE_EXCEEDS_HOLD
}
