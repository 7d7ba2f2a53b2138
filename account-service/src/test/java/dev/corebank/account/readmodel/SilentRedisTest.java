package dev.corebank.account.readmodel;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.corebank.account.LedgerTestSupport;
import dev.corebank.messages.ledger.AccountChanged;
import dev.corebank.testing.OperabilityContract;
import dev.corebank.testing.StallableRedis;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Redis accepts connections and does not answer, as under {@code CLIENT PAUSE}: reads end at the read model's
 * timeout and are served from PostgreSQL, the pod stays live and ready, and the projection that feeds Redis waits
 * for it, for as long as it takes, then catches up by itself.
 */
@QuarkusTest
@TestProfile(StallableRedis.class)
class SilentRedisTest {

    // Guards against a hang, far above the read model's 500 ms timeout; not speed claims.
    private static final Duration HANG = Duration.ofSeconds(30);
    private static final Duration CATCH_UP = Duration.ofSeconds(60);
    private static final Pattern WAITING = Pattern.compile(
            "(?m)^messaging_consumer_waiting_seconds\\{[^}]*channel=\"account-changes\"[^}]*\\} (\\S+)$");

    @Inject
    LedgerTestSupport ledger;

    @Inject
    RedisDataSource redis;

    @AfterEach
    void redisAnswersAgain() {
        StallableRedis.PROXY.resume();
    }

    @Test
    void an_account_is_read_from_postgresql_instead_of_hanging_on_redis_and_the_pod_stays_live_and_ready() {
        UUID account = ledger.open("EUR", 0);
        ledger.deposit(account, 700);
        StallableRedis.PROXY.stall();

        Response read = assertTimeoutPreemptively(HANG, () -> given().when().get("/accounts/{id}", account));

        assertEquals(200, read.statusCode(), read.asString());
        assertEquals("database", read.header("X-Read-Source"));
        assertEquals(700, read.jsonPath().getLong("balance"));
        Response ready = assertTimeoutPreemptively(HANG, () -> given().when().get("/q/health/ready"));
        assertEquals(200, ready.statusCode(), ready.asString());
        assertEquals(false, ready.jsonPath().getBoolean(
                "checks.find { it.name == '" + OperabilityContract.REDIS + "' }.data.reachable"), ready.asString());
        given().when().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void the_projection_waits_out_a_stalled_redis_and_catches_up_when_it_answers() {
        UUID account = ledger.open("EUR", 0);
        String owner = given().when().get("/accounts/{id}", account).then().statusCode(200).extract().path("ownerId");
        StallableRedis.PROXY.stall();
        ledger.publishAccountState(new AccountChanged(account, owner, "EUR", 321, 321, 0, "OPEN", 4));
        ledger.flush();

        await().alias("the account-changes consumer reporting a wait for Redis")
                .atMost(CATCH_UP)
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> waitingSeconds() > 0);
        given().when().get("/q/health/live").then().statusCode(200);

        StallableRedis.PROXY.resume();
        await().alias("the held event projected once Redis answers")
                .atMost(CATCH_UP)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> "4".equals(redis.hash(String.class).hget("corebank:account:" + account, "version")));
        await().alias("the consumer flowing again").atMost(CATCH_UP).until(() -> waitingSeconds() == 0);
        given().when().get("/accounts/{id}", account).then().statusCode(200).header("X-Read-Source", "cache");
    }

    /** The consumer's wait, or -1 before its first record (the consumer bean, and its gauge, come with it). */
    private static double waitingSeconds() {
        String metrics = given().accept("text/plain").when().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher found = WAITING.matcher(metrics);
        return found.find() ? Double.parseDouble(found.group(1)) : -1;
    }
}
