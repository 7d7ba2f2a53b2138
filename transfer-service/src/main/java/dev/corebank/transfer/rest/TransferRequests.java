package dev.corebank.transfer.rest;

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
            @Size(max = 500) String description) {
    }
}
