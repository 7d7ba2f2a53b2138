package dev.corebank.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corebank.testing.Metrics;
import dev.corebank.testing.RedisOutageContract;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Redis away: the rate limits protect capacity, not money, so transfers are still accepted, unchecked and
 * counted; and the pod stays ready, saying Redis is unreachable.
 */
@QuarkusTest
@TestProfile(RedisOutageContract.RedisGone.class)
class RedisOutageTest extends RedisOutageContract {

    @Inject
    Pool pool;

    @Test
    void transfers_are_accepted_unchecked_and_counted_while_redis_is_down() {
        double before = Metrics.sum("transfers_rate_limit_unavailable_total");
        UUID from = UUID.randomUUID();

        Response accepted = new Transfers().post(UUID.randomUUID().toString(), from, UUID.randomUUID(), 1, "EUR");

        assertEquals(202, accepted.statusCode(), accepted.asString());
        assertEquals("PENDING", accepted.jsonPath().getString("status"));
        assertNull(accepted.header("RateLimit-Remaining"), "no limit was checked, so none is reported");
        assertEquals(1, Transfers.count(pool, "SELECT count(*) FROM transfers WHERE from_account_id = $1", from));
        assertTrue(Metrics.sum("transfers_rate_limit_unavailable_total") >= before + 1, "the unchecked request is counted");
    }
}
