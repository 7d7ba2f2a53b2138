package dev.corebank.account.hold;

/** PLACED until it resolves, exactly once, to one of the others. */
public enum HoldStatus {
    PLACED,
    CAPTURED,
    VOIDED,
    EXPIRED
}
