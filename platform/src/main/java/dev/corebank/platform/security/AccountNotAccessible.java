package dev.corebank.platform.security;

import java.util.UUID;

/**
 * The caller may not use this account, or it does not exist: the two are one answer (404), so that nobody
 * learns which accounts exist by trying them.
 */
public class AccountNotAccessible extends RuntimeException {

    private final UUID accountId;

    public AccountNotAccessible(UUID accountId) {
        super("no account " + accountId + " that you may use");
        this.accountId = accountId;
    }

    public UUID accountId() {
        return accountId;
    }
}
