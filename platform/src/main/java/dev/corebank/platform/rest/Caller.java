package dev.corebank.platform.rest;

import io.vertx.core.http.HttpServerRequest;
import java.util.regex.Pattern;

/**
 * Who is calling. {@code X-Client-Id}, when sent, names the client for its rate limit and scopes its
 * Idempotency-Keys; without it the rate limit falls back to the caller's address and keys share one scope
 * (an address is no identity to bind a key to: a retry may come from another one).
 */
public record Caller(String rateLimitId, String keyScope) {

    public static final String HEADER = "X-Client-Id";

    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public static Caller of(String clientId, HttpServerRequest request) {
        if (clientId == null) {
            String address = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
            // A client id never holds ':', so no client can name itself after an address.
            return new Caller("address:" + address, "");
        }
        if (!CLIENT_ID.matcher(clientId).matches()) {
            throw new InvalidRequest(HEADER, HEADER + " must be 1-64 letters, digits, dots, underscores or hyphens");
        }
        return new Caller(clientId, clientId);
    }
}
