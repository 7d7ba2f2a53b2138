package dev.corebank.platform.rest;

import java.util.Currency;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Parsing of path, query and header values, each failing as a 400 that names the value. */
public final class RequestChecks {

    private static final Set<String> CURRENCIES = Currency.getAvailableCurrencies().stream()
            .map(Currency::getCurrencyCode)
            .collect(Collectors.toUnmodifiableSet());
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");
    private static final Pattern STRONG_ETAG = Pattern.compile("\"(\\d{1,18})\"");

    private RequestChecks() {
    }

    public static UUID id(String name, String value) {
        try {
            UUID id = UUID.fromString(value);
            if (!id.toString().equalsIgnoreCase(value)) {
                throw new IllegalArgumentException();
            }
            return id;
        } catch (IllegalArgumentException e) {
            throw new InvalidRequest(name, name + " must be a UUID, got '" + value + "'");
        }
    }

    public static String currency(String code) {
        if (!CURRENCIES.contains(code)) {
            throw new InvalidRequest("currency", "'" + code + "' is not an ISO-4217 currency code");
        }
        return code;
    }

    public static String idempotencyKey(String key) {
        if (key == null) {
            throw new InvalidRequest("Idempotency-Key", "the Idempotency-Key header is required: any unique string "
                    + "(1-255 printable characters) you reuse when you retry this request");
        }
        if (!IDEMPOTENCY_KEY.matcher(key).matches()) {
            throw new InvalidRequest("Idempotency-Key", "the Idempotency-Key must be 1-255 printable ASCII characters");
        }
        return key;
    }

    public static long atMost(String field, long value, long max) {
        if (value > max) {
            throw new InvalidRequest(field, field + " must be at most " + max + ", got " + value);
        }
        return value;
    }

    /** The version an If-Match names; a header that names none (a weak or foreign tag) can never match. */
    public static long ifMatch(String header) {
        if (header == null) {
            throw new PreconditionRequired();
        }
        var matcher = STRONG_ETAG.matcher(header.trim());
        return matcher.matches() ? Long.parseLong(matcher.group(1)) : -1;
    }

    public static OptionalLong optionalNonNegative(String name, String value) {
        if (value == null) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(intIn(name, value, 0, Long.MAX_VALUE));
    }

    public static long intIn(String name, String value, long min, long max) {
        try {
            long parsed = Long.parseLong(value);
            if (parsed < min || parsed > max) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new InvalidRequest(name, name + " must be an integer from " + min + " to " + max + ", got '" + value + "'");
        }
    }
}
