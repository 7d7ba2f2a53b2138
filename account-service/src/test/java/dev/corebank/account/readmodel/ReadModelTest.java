package dev.corebank.account.readmodel;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corebank.account.LedgerTestSupport;
import dev.corebank.messages.ledger.AccountChanged;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The Redis read model: served when fresh enough, healed from PostgreSQL, never set back to an older state. */
@QuarkusTest
class ReadModelTest {

    @Inject
    LedgerTestSupport ledger;

    @Inject
    RedisDataSource redis;

    @Inject
    ObjectMapper json;

    @Test
    void reads_fall_back_to_postgresql_and_heal_the_read_model() {
        UUID id = ledger.open("EUR", 0);
        ledger.deposit(id, 40);
        redis.key().del(key(id));

        given().get("/accounts/{id}", id).then().statusCode(200)
                .header("X-Read-Source", "database").body("balance", equalTo(40), "version", equalTo(1));
        given().get("/accounts/{id}", id).then()
                .header("X-Read-Source", "cache").body("balance", equalTo(40), "version", equalTo(1));

        // Read-your-writes: a client that saw version 2 never gets version 1 back from the cache.
        ledger.deposit(id, 2);
        given().queryParam("minVersion", 2).get("/accounts/{id}", id).then()
                .header("X-Read-Source", "database").body("balance", equalTo(42), "version", equalTo(2));
    }

    @Test
    void the_projection_keeps_the_newest_state_whatever_order_events_arrive_in() {
        UUID id = ledger.open("EUR", 0);
        String owner = given().get("/accounts/{id}", id).then().statusCode(200).extract().path("ownerId");
        ledger.publishAccountState(state(id, owner, 5, 500));
        ledger.publishAccountState(state(id, owner, 3, 300));  // late and older: ignored
        ledger.publishAccountState(state(id, owner, 5, 999));  // same version again: ignored
        ledger.flush();
        long deadline = System.currentTimeMillis() + 30_000;
        while (!"5".equals(redis.hash(String.class).hget(key(id), "version")) && System.currentTimeMillis() < deadline) {
            LedgerTestSupport.sleep(100);
        }
        LedgerTestSupport.sleep(1_000);  // the older events were sent after it: time for them to (not) land

        String state = redis.hash(String.class).hget(key(id), "state");
        assertNotNull(state, "the projection wrote the account");
        assertEquals(5, parse(state).version());
        assertEquals(500, parse(state).balance());
        // PostgreSQL has this account at version 0 with no money, so what GET serves is the projection's work.
        given().get("/accounts/{id}", id).then().statusCode(200)
                .header("X-Read-Source", "cache").body("balance", equalTo(500), "version", equalTo(5));
    }

    @Test
    void rebuild_writes_every_account_from_postgresql() {
        UUID id = ledger.open("EUR", 0);
        ledger.deposit(id, 7);
        redis.key().del(key(id));

        given().post("/admin/read-model/rebuild").then().statusCode(200);

        assertEquals("1", redis.hash(String.class).hget(key(id), "version"));
        given().get("/accounts/{id}", id).then().header("X-Read-Source", "cache").body("balance", equalTo(7));
    }

    private AccountChanged parse(String state) {
        try {
            return json.readValue(state, AccountChanged.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static AccountChanged state(UUID id, String owner, long version, long balance) {
        return new AccountChanged(id, owner, "EUR", balance, balance, 0, "OPEN", version);
    }

    private static String key(UUID id) {
        return "corebank:account:" + id;
    }
}
