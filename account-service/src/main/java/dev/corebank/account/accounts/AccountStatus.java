package dev.corebank.account.accounts;

/** OPEN accounts take every movement; FROZEN and CLOSED ones none. CLOSED is final. */
public enum AccountStatus {
    OPEN,
    FROZEN,
    CLOSED;

    public boolean canChangeTo(AccountStatus next) {
        return this != CLOSED || next == CLOSED;
    }
}
