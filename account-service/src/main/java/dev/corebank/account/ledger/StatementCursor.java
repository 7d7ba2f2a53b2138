package dev.corebank.account.ledger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Where a page of a statement ends: the (posting time, entry number) of its last entry. Clients see it
 * as an opaque string and hand it back as {@code ?cursor=} for the next page.
 */
public record StatementCursor(Instant postedAt, long entryNo) {

    /** Before every entry that exists: the first page. */
    public static final StatementCursor START = new StatementCursor(Instant.parse("9999-12-31T23:59:59Z"), Long.MAX_VALUE);

    /** The earliest instant a cursor may hold; with START's, a range PostgreSQL's timestamptz can take. */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

    public static StatementCursor after(JournalEntry entry) {
        return new StatementCursor(entry.postedAt(), entry.entryNo());
    }

    public String encode() {
        String plain = postedAt + "|" + entryNo;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException when {@code token} is not a cursor this service handed out */
    public static StatementCursor decode(String token) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            int bar = plain.indexOf('|');
            Instant postedAt = Instant.parse(plain.substring(0, bar));
            if (postedAt.isBefore(EARLIEST) || postedAt.isAfter(START.postedAt())) {
                throw new IllegalArgumentException("instant out of range: " + postedAt);
            }
            return new StatementCursor(postedAt, Long.parseLong(plain.substring(bar + 1)));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a statement cursor: " + token, e);
        }
    }
}
