package dev.corebank.transfer.rest;

import dev.corebank.messages.ledger.LedgerCommand;
import dev.corebank.platform.rest.StorableText;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.UUID;

/** Request bodies of the transfers API. Amounts are integers in minor units. */
final class TransferRequests {

    private TransferRequests() {
    }

    record CreateTransfer(
            @NotNull UUID fromAccountId,
            @NotNull UUID toAccountId,
            @NotNull @Positive Long amount,
            @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO-4217 code such as EUR") String currency,
            // It becomes the ledger's movement reference, so it is held to the ledger's limit.
            @Size(max = LedgerCommand.MAX_REFERENCE_LENGTH) @StorableText String description) {
    }
}
