package dev.corebank.transfer.transfer;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Where a page of an account's transfers ends: the (createdAt, id) of its last transfer. Clients see it as
 * an opaque string and hand it back as {@code ?cursor=} for the next page.
 */
public record TransferCursor(Instant createdAt, UUID id) {

    /** Before every transfer that exists: the first page. */
    public static final TransferCursor START = new TransferCursor(Instant.parse("9999-12-31T23:59:59Z"),
            new UUID(-1L, -1L));

    /** The earliest instant a cursor may hold; with START's, a range PostgreSQL's timestamptz can take. */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

    public static TransferCursor after(Transfer transfer) {
        return new TransferCursor(transfer.createdAt(), transfer.id());
    }

    public String encode() {
        String plain = createdAt + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException when {@code token} is not a cursor this service handed out */
    public static TransferCursor decode(String token) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            int bar = plain.indexOf('|');
            Instant createdAt = Instant.parse(plain.substring(0, bar));
            if (createdAt.isBefore(EARLIEST) || createdAt.isAfter(START.createdAt())) {
                throw new IllegalArgumentException("instant out of range: " + createdAt);
            }
            return new TransferCursor(createdAt, UUID.fromString(plain.substring(bar + 1)));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a transfer cursor: " + token, e);
        }
    }
}
