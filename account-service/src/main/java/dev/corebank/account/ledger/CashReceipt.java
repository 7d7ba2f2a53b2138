package dev.corebank.account.ledger;

import dev.corebank.account.accounts.Account;
import dev.corebank.account.journal.Movement;
import java.util.UUID;

/** The answer to a deposit or withdrawal: the movement and the account right after it. */
public record CashReceipt(UUID movementId, UUID accountId, Movement.Kind kind, long amount, String currency,
        long balance, long available, long version) {

    static CashReceipt of(UUID movementId, Movement.Kind kind, long amount, Account after) {
        return new CashReceipt(movementId, after.id(), kind, amount, after.currency(), after.balance(),
                after.available(), after.version());
    }
}
