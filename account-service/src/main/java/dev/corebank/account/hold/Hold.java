package dev.corebank.account.hold;

import java.time.Instant;
import java.util.UUID;

/**
 * Money reserved on {@code accountId} for {@code creditAccountId}: while PLACED it counts in the debit
 * account's {@code held}.
 *
 * @param resolvedBy the command that captured or voided it; null while placed and when it expired
 */
public record Hold(UUID id, UUID accountId, UUID creditAccountId, String currency, long amount, HoldStatus status,
        Long capturedAmount, String reference, Instant expiresAt, UUID placedBy, UUID resolvedBy,
        Instant createdAt, Instant resolvedAt) {

    public boolean expiredAt(Instant now) {
        return !expiresAt.isAfter(now);
    }

    public Hold resolved(HoldStatus status, Long capturedAmount, UUID resolvedBy, Instant at) {
        return new Hold(id, accountId, creditAccountId, currency, amount, status, capturedAmount, reference,
                expiresAt, placedBy, resolvedBy, createdAt, at);
    }
}
