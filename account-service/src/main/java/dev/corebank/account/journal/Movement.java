package dev.corebank.account.journal;

import java.time.Instant;
import java.util.UUID;

/** One movement of money; its journal entries sum to zero. {@code id} is unique across all time. */
public record Movement(UUID id, Kind kind, String currency, long amount, String reference, Instant postedAt) {

    public enum Kind {
        TRANSFER,
        DEPOSIT,
        WITHDRAWAL,
        HOLD_CAPTURE
    }
}
