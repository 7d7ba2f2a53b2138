package dev.corebank.transfer.transfers;

import java.time.Instant;
import java.util.UUID;

/** The ledger's answer to a transfer's command: COMPLETED at {@code completedAt}, or REJECTED for {@code reason}. */
public record Outcome(UUID transferId, TransferStatus status, String reason, String detail, Instant completedAt) {

    public static Outcome completed(UUID transferId, Instant postedAt) {
        return new Outcome(transferId, TransferStatus.COMPLETED, null, null, postedAt);
    }

    /** Rejections carry no time of their own: the row gets the database's clock when it is settled. */
    public static Outcome rejected(UUID transferId, String reason, String detail) {
        return new Outcome(transferId, TransferStatus.REJECTED, reason, detail, null);
    }
}
