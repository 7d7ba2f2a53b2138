package dev.corebank.transfer.transfers;

public enum TransferStatus {
    /** Accepted; the ledger has not answered yet. */
    PENDING,
    /** The ledger posted it: the money moved. */
    COMPLETED,
    /** The ledger refused it ({@code reason}); nothing moved. */
    REJECTED
}
