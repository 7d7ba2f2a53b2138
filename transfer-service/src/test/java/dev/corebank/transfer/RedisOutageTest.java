package dev.corebank.transfer;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corebank.testing.RedisOutageContract;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Redis away: the rate limits protect capacity, not money, so transfers are still accepted, unchecked and
 * counted; and the pod stays ready, saying Redis is unreachable.
 */
@QuarkusTest
@TestProfile(RedisOutageContract.RedisGone.class)
class RedisOutageTest extends RedisOutageContract {

    private static final Pattern UNAVAILABLE = Pattern.compile("(?m)^transfers_rate_limit_unavailable_total(?:\\{[^}]*\\})? (\\S+)$");

    @Inject
    Pool pool;

    @Test
    void transfers_are_accepted_unchecked_and_counted_while_redis_is_down() {
        double before = unavailable();
        UUID from = UUID.randomUUID();

        Response accepted = new Transfers().post(UUID.randomUUID().toString(), from, UUID.randomUUID(), 1, "EUR");

        assertEquals(202, accepted.statusCode(), accepted.asString());
        assertEquals("PENDING", accepted.jsonPath().getString("status"));
        assertNull(accepted.header("RateLimit-Remaining"), "no limit was checked, so none is reported");
        assertEquals(1, Transfers.count(pool, "SELECT count(*) FROM transfers WHERE from_account_id = $1", from));
        assertTrue(unavailable() >= before + 1, "the unchecked request is counted");
    }


    private static double unavailable() {
        String metrics = given().accept("text/plain").when().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher found = UNAVAILABLE.matcher(metrics);
        return found.find() ? Double.parseDouble(found.group(1)) : 0;
    }
}
