package dev.corebank.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The test profile's limits: 10 requests at once per source account (refilled at one every 10 s) and 40
 * per client (refilled at 2/s). Past either: 429, Retry-After, RateLimit headers, and nothing written.
 */
@QuarkusTest
class RateLimitTest {

    @Inject
    Pool pool;

    @Test
    void a_source_account_past_its_limit_gets_429_with_retry_after_and_nothing_is_written() {
        Transfers api = new Transfers();
        // No ledger needed: the limit comes before anything else, and these accounts need not exist.
        UUID from = UUID.randomUUID();
        for (int i = 0; i < 10; i++) {
            Response accepted = api.post(UUID.randomUUID().toString(), from, UUID.randomUUID(), 1, "EUR");
            assertEquals(202, accepted.statusCode(), accepted.asString());
            assertEquals(9 - i, Integer.parseInt(accepted.header("RateLimit-Remaining")), "tokens left after " + (i + 1));
        }

        Response limited = api.post(UUID.randomUUID().toString(), from, UUID.randomUUID(), 1, "EUR");

        assertLimited(limited, "account");
        assertEquals(10, Transfers.count(pool, "SELECT count(*) FROM transfers WHERE from_account_id = $1", from));
        // Another client is limited by the same account's bucket: the limit is the account's, not the caller's.
        assertLimited(new Transfers().post(UUID.randomUUID().toString(), from, UUID.randomUUID(), 1, "EUR"), "account");
        // Another account of the same client still goes ahead.
        assertEquals(202, api.post(UUID.randomUUID().toString(), UUID.randomUUID(), UUID.randomUUID(), 1, "EUR").statusCode());
    }

    @Test
    void a_client_past_its_limit_gets_429_whatever_the_account() {
        Transfers api = new Transfers();
        int accepted = 0;
        Response last = null;
        // 40 at once, refilled at 2/s: a burst gets past 40 only by a few; stop at the first 429.
        for (int i = 0; i < 200; i++) {
            last = api.post(UUID.randomUUID().toString(), UUID.randomUUID(), UUID.randomUUID(), 1, "EUR");
            if (last.statusCode() != 202) {
                break;
            }
            accepted++;
        }

        assertTrue(accepted >= 40 && accepted < 200, "accepted " + accepted);
        assertLimited(last, "client");
    }

    private static void assertLimited(Response response, String policy) {
        assertEquals(429, response.statusCode(), response.asString());
        assertTrue(response.contentType().startsWith("application/problem+json"));
        assertTrue(response.jsonPath().getString("type").endsWith("/rate-limited"));
        assertNotNull(response.header("Retry-After"));
        assertTrue(Integer.parseInt(response.header("Retry-After")) >= 1);
        assertEquals("0", response.header("RateLimit-Remaining"));
        assertEquals(policy, response.header("RateLimit-Policy"));
        assertNotNull(response.header("RateLimit-Limit"));
        assertNotNull(response.header("RateLimit-Reset"));
    }
}
