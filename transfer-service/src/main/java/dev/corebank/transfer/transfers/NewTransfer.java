package dev.corebank.transfer.transfers;

import dev.corebank.platform.idempotency.Fingerprint;
import java.util.UUID;

/** A checked request to move {@code amount} minor units of {@code currency}. */
public record NewTransfer(UUID fromAccountId, UUID toAccountId, long amount, String currency, String description) {

    /** What makes two requests with one Idempotency-Key the same request. */
    public byte[] fingerprint() {
        return Fingerprint.of(fromAccountId, toAccountId, amount, currency, description);
    }
}
