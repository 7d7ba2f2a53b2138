package dev.corebank.transfer.idempotency;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A new transfer's bid for a (client, Idempotency-Key) pair: answered at once with {@code response}, or, with
 * none, in flight until {@code inFlightUntil} while its request waits for the outcome.
 */
public record KeyClaim(String clientId, String key, byte[] fingerprint, UUID transferId, Instant inFlightUntil,
        Optional<StoredResponse> response) {
}
