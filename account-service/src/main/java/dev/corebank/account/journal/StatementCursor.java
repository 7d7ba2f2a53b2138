package dev.corebank.account.journal;

import dev.corebank.platform.rest.PageToken;
import java.time.Instant;

/**
 * Where a page of a statement ends: the (posting time, entry number) of its last entry. Clients see it
 * as an opaque string and hand it back as {@code ?cursor=} for the next page.
 */
public record StatementCursor(Instant postedAt, long entryNo) {

    /** Before every entry that exists: the first page. */
    public static final StatementCursor START = new StatementCursor(PageToken.LATEST, Long.MAX_VALUE);

    public static StatementCursor after(JournalEntry entry) {
        return new StatementCursor(entry.postedAt(), entry.entryNo());
    }

    public String encode() {
        return new PageToken(postedAt, Long.toString(entryNo)).encode();
    }

    /** @throws IllegalArgumentException when {@code token} is not a cursor this service handed out */
    public static StatementCursor decode(String token) {
        try {
            PageToken page = PageToken.decode(token);
            return new StatementCursor(page.at(), Long.parseLong(page.tieBreaker()));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a statement cursor: " + token, e);
        }
    }
}
