package dev.corebank.platform.rest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * The opaque {@code ?cursor=} of a keyset-paged list: where a page ended, as the instant of its last row and a
 * tie-breaker for rows of the same instant, sent as base64url of {@code instant|tieBreaker}.
 */
public record PageToken(Instant at, String tieBreaker) {

    /** After every row: where the first page starts. */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    /** The earliest instant a token may hold; with {@link #LATEST}, a range PostgreSQL's timestamptz can take. */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

    public String encode() {
        String plain = at + "|" + tieBreaker;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws RuntimeException when {@code token} is not a page token, or its instant is out of range */
    public static PageToken decode(String token) {
        String plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        int bar = plain.indexOf('|');
        Instant at = Instant.parse(plain.substring(0, bar));
        if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
            throw new IllegalArgumentException("instant out of range: " + at);
        }
        return new PageToken(at, plain.substring(bar + 1));
    }
}
