package dev.corebank.account.accounts;

import dev.corebank.base.security.Caller;
import dev.corebank.messages.ledger.AccountChanged;
import java.util.UUID;

/**
 * An account as stored. {@code held} is the sum of its open holds, so {@code available = balance - held};
 * {@code version} grows with every committed change, for If-Match edits and read-model freshness.
 *
 * @param system the bank's own account of its currency (one per currency), the other side of deposits and
 *               withdrawals; it has no overdraft limit
 */
public record Account(UUID id, String ownerId, String currency, boolean system, long balance, long held,
        long overdraftLimit, AccountStatus status, long version) {

    /** Owner of the system accounts. */
    public static final String BANK = Caller.BANK;

    public long available() {
        return balance - held;
    }

    /** Whether {@code amount} more may leave (or be held on) this account. */
    public boolean canSpend(long amount) {
        return system || available() - amount >= -overdraftLimit;
    }

    public Account withBalances(long balance, long held) {
        return new Account(id, ownerId, currency, system, balance, held, overdraftLimit, status, version);
    }

    public Account withVersion(long version) {
        return new Account(id, ownerId, currency, system, balance, held, overdraftLimit, status, version);
    }

    /** The event read models keep. */
    public AccountChanged changed() {
        return new AccountChanged(id, ownerId, currency, balance, available(), overdraftLimit, status.name(), version);
    }
}
