package dev.corebank.transfer.idempotency;

/** The answer a request that was in flight gave, to keep as its key's answer. */
public record KeyAnswer(String clientId, String key, StoredResponse response) {
}
