package dev.corebank.account.accounts;

import dev.corebank.account.config.LedgerConfig;
import dev.corebank.platform.id.UuidV7;
import dev.corebank.platform.outbox.OutboxEvent;
import jakarta.inject.Singleton;

/**
 * The AccountChanged event of an account's new state, on the accounts topic. Opening and editing an account
 * and every ledger write that changes a balance publish it, so it lives with the account, not the ledger.
 */
@Singleton
public class AccountEvents {

    private static final String ACCOUNT = "account";

    private final LedgerConfig config;

    public AccountEvents(LedgerConfig config) {
        this.config = config;
    }

    public OutboxEvent changed(Account account) {
        return OutboxEvent.of(UuidV7.next(), config.topics().accounts(), ACCOUNT, account.id().toString(),
                account.changed());
    }
}
