package dev.corebank.account.journal;

import java.time.Instant;
import java.util.UUID;

/**
 * One side of a movement on one account: positive credits, negative debits. {@code entryNo} is assigned
 * by the database and is null until written.
 */
public record JournalEntry(Long entryNo, UUID movementId, UUID accountId, Movement.Kind kind, long amount,
        long balanceAfter, Instant postedAt) {
}
