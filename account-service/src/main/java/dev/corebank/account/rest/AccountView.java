package dev.corebank.account.rest;

import dev.corebank.messages.ledger.AccountChanged;
import java.util.UUID;

/** An account as the API shows it. */
public record AccountView(UUID id, String ownerId, String currency, long balance, long available, long overdraftLimit,
        String status, long version) {

    static AccountView of(AccountChanged state) {
        return new AccountView(state.accountId(), state.ownerId(), state.currency(), state.balance(), state.available(),
                state.overdraftLimit(), state.status(), state.version());
    }

    /** The strong ETag of this version, as If-Match must repeat it. */
    String etag() {
        return "\"" + version + "\"";
    }
}
