package dev.corebank.account.readmodel;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.corebank.account.LedgerTestSupport;
import dev.corebank.testing.RedisOutageContract;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Redis away: money still moves, every read comes from PostgreSQL, and the pod stays ready, saying Redis is unreachable. */
@QuarkusTest
@TestProfile(RedisOutageContract.RedisGone.class)
class RedisOutageTest extends RedisOutageContract {

    @Inject
    LedgerTestSupport ledger;

    @Test
    void accounts_open_take_deposits_and_are_read_from_postgresql_while_redis_is_down() {
        UUID account = ledger.open("EUR", 0);
        ledger.deposit(account, 700);

        Response read = given().when().get("/accounts/{id}", account);

        assertEquals(200, read.statusCode(), read.asString());
        assertEquals("database", read.header("X-Read-Source"));
        assertEquals(700, read.jsonPath().getLong("balance"));
        assertEquals("\"1\"", read.header("ETag"));
    }
}
