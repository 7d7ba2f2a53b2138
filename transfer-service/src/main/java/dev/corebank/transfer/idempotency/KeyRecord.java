package dev.corebank.transfer.idempotency;

import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

/**
 * What a (client, Idempotency-Key) pair is bound to: the request it first came with (as a fingerprint),
 * the transfer that request made and, once the request has been answered, the answer.
 */
public record KeyRecord(String clientId, String key, byte[] fingerprint, UUID transferId, Instant inFlightUntil,
        Optional<StoredResponse> response) {

    public boolean sameRequest(byte[] otherFingerprint) {
        return Arrays.equals(fingerprint, otherFingerprint);
    }

    /** The first request is still waiting for its outcome and will answer itself. */
    public boolean inFlight(Instant now) {
        return response.isEmpty() && inFlightUntil != null && inFlightUntil.isAfter(now);
    }
}
