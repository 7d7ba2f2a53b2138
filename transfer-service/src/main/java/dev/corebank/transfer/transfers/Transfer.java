package dev.corebank.transfer.transfers;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.corebank.messages.ledger.LedgerCommand;
import dev.corebank.platform.id.UuidV7;
import java.time.Instant;
import java.util.UUID;

/**
 * A transfer as the API shows it. {@code createdAt} is the instant in its UUIDv7 id, so a lookup by id
 * also names the month partition the row lives in. {@code reason} and {@code detail} say why the ledger
 * refused it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Transfer(UUID id, UUID fromAccountId, UUID toAccountId, long amount, String currency,
        String description, TransferStatus status, String reason, String detail, Instant createdAt,
        Instant completedAt) {

    /** A new transfer, not yet sent to the ledger. */
    public static Transfer request(UUID fromAccountId, UUID toAccountId, long amount, String currency, String description) {
        UUID id = UuidV7.next();
        return new Transfer(id, fromAccountId, toAccountId, amount, currency, description, TransferStatus.PENDING,
                null, null, UuidV7.instantOf(id), null);
    }

    /** The partition key of the row with this id. */
    public static Instant createdAtOf(UUID id) {
        return UuidV7.instantOf(id);
    }

    @JsonIgnore
    public boolean isFinal() {
        return status != TransferStatus.PENDING;
    }

    /** The ledger command that executes this transfer; its id is the transfer's, so re-sending it is harmless. */
    public LedgerCommand.TransferFunds command() {
        return new LedgerCommand.TransferFunds(id, fromAccountId, toAccountId, amount, currency, description);
    }
}
