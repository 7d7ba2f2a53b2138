package dev.corebank.platform.rest;

import java.time.Duration;
import java.util.Locale;

/** The {@code wait} preference of a {@code Prefer} header (RFC 7240); other preferences are ignored, as the RFC asks. */
public final class Prefer {

    private Prefer() {
    }

    /** How long the client would wait for the outcome, cut to {@code max}; zero when it did not ask. */
    public static Duration waitOf(String header, Duration max) {
        if (header == null) {
            return Duration.ZERO;
        }
        for (String preference : header.split(",")) {
            String[] nameValue = preference.trim().split("=", 2);
            if (!nameValue[0].trim().toLowerCase(Locale.ROOT).equals("wait")) {
                continue;
            }
            String value = nameValue.length == 2 ? nameValue[1].trim() : "";
            if (!value.matches("\\d{1,9}")) {
                throw new InvalidRequest("Prefer", "Prefer: wait takes whole seconds, e.g. wait=5; got '" + preference.trim() + "'");
            }
            Duration asked = Duration.ofSeconds(Long.parseLong(value));
            return asked.compareTo(max) > 0 ? max : asked;
        }
        return Duration.ZERO;
    }
}
