package dev.corebank.messages.ledger;

import java.util.UUID;

/**
 * The state of an account after a change, on {@code ledger.accounts} keyed by the account id: what read
 * models keep. A higher {@code version} is always the newer state, so a consumer keeps the highest it saw
 * and may ignore anything older, whatever order the events arrive in.
 */
public record AccountChanged(UUID accountId, String ownerId, String currency, long balance, long available,
        long overdraftLimit, String status, long version) {
}
