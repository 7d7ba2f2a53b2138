package dev.corebank.account.rest;

import dev.corebank.account.accounts.AccountStatus;
import dev.corebank.messages.ledger.LedgerCommand;
import dev.corebank.platform.rest.StorableText;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/** Request bodies of the accounts API. Amounts are integers in minor units. */
final class AccountRequests {

    private AccountRequests() {
    }

    record OpenAccount(
            @NotBlank @Size(max = 128) @StorableText String ownerId,
            @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO-4217 code such as EUR") String currency,
            @PositiveOrZero Long overdraftLimit) {
    }

    /** Fields left out (null) keep their current value. */
    record EditAccount(AccountStatus status, @PositiveOrZero Long overdraftLimit) {
    }

    record Cash(@NotNull @Positive Long amount,
            @Size(max = LedgerCommand.MAX_REFERENCE_LENGTH) @StorableText String reference) {
    }
}
