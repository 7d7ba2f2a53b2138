package dev.corebank.order.orders;

import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

/**
 * A (client, Idempotency-Key) pair bound to the order its first request made, with that request's
 * fingerprint, and, while that request waits for the outcome ({@code Prefer: wait}), until when.
 */
public record OrderRequest(String clientId, String key, byte[] fingerprint, UUID orderId, Instant inFlightUntil) {

    public boolean sameRequest(byte[] otherFingerprint) {
        return Arrays.equals(fingerprint, otherFingerprint);
    }

    /** The first request is still waiting for the outcome and will answer it itself. */
    public boolean inFlight(Instant now) {
        return inFlightUntil != null && inFlightUntil.isAfter(now);
    }
}
