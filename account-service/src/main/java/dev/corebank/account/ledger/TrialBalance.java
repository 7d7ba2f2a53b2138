package dev.corebank.account.ledger;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.UUID;

/**
 * The ledger checked against itself, per currency, in one snapshot: debits equal credits, balances sum to
 * zero, and every stored balance equals the sum of its account's entries (live and archived).
 */
public record TrialBalance(List<Currency> currencies) {

    @JsonProperty
    public boolean balanced() {
        return currencies.stream().allMatch(Currency::balanced);
    }

    public record Currency(String currency, long accounts, long totalDebits, long totalCredits, long balanceSum,
            List<Mismatch> mismatchedAccounts) {

        @JsonProperty
        public boolean balanced() {
            return totalDebits == totalCredits && balanceSum == 0 && mismatchedAccounts.isEmpty();
        }
    }

    /** An account whose stored balance differs from what its entries add up to. */
    public record Mismatch(UUID accountId, long balance, long journalBalance) {
    }
}
