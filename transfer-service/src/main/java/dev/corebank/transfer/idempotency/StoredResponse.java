package dev.corebank.transfer.idempotency;

import java.util.UUID;

/** The answer given to the first request with a key, replayed as it was to every retry of it. */
public record StoredResponse(UUID transferId, int status, String body) {
}
