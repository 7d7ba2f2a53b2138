package dev.corebank.transfer.transfers;

import dev.corebank.platform.rest.PageToken;
import java.time.Instant;
import java.util.UUID;

/**
 * Where a page of an account's transfers ends: the (createdAt, id) of its last transfer. Clients see it as
 * an opaque string and hand it back as {@code ?cursor=} for the next page.
 */
public record TransferCursor(Instant createdAt, UUID id) {

    /** Before every transfer that exists: the first page. */
    public static final TransferCursor START = new TransferCursor(PageToken.LATEST, new UUID(-1L, -1L));

    public static TransferCursor after(Transfer transfer) {
        return new TransferCursor(transfer.createdAt(), transfer.id());
    }

    public String encode() {
        return new PageToken(createdAt, id.toString()).encode();
    }

    /** @throws IllegalArgumentException when {@code token} is not a cursor this service handed out */
    public static TransferCursor decode(String token) {
        try {
            PageToken page = PageToken.decode(token);
            return new TransferCursor(page.at(), UUID.fromString(page.tieBreaker()));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a transfer cursor: " + token, e);
        }
    }
}
