package dev.corebank.transfer.rest;

import dev.corebank.transfer.ratelimit.RateLimits;
import jakarta.ws.rs.core.Response;

/**
 * The tightest limit's state, as the RateLimit header fields clients already read
 * (draft-ietf-httpapi-ratelimit-headers): {@code RateLimit-Limit}, {@code -Remaining}, {@code -Reset} (seconds).
 */
final class RateLimitHeaders {

    private RateLimitHeaders() {
    }

    static void add(Response.ResponseBuilder response, RateLimits.Decision decision) {
        RateLimits.Limit limit = decision.tightest();
        if (limit == null) {
            return;
        }
        response.header("RateLimit-Limit", limit.capacity())
                .header("RateLimit-Remaining", limit.remaining())
                .header("RateLimit-Reset", seconds(limit.resetMs()))
                .header("RateLimit-Policy", limit.name());
        if (!decision.allowed()) {
            response.header("Retry-After", seconds(decision.retryAfterMs()));
        }
    }

    private static long seconds(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }
}
