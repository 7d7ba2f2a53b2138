package dev.corebank.account.accounts;

import java.util.UUID;

public class AccountNotFound extends RuntimeException {

    public AccountNotFound(UUID id) {
        super("no account " + id, null, false, false);
    }
}
