package dev.corebank.order;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.corebank.testing.LiveLedger;
import dev.corebank.testing.RedisOutageContract;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Redis away: orders still run to CONFIRMED at the database's pace, and reads come from PostgreSQL. */
@QuarkusTest
@TestProfile(RedisOutageContract.RedisGone.class)
class RedisOutageTest extends RedisOutageContract {

    @Test
    void orders_are_placed_confirmed_and_read_from_postgresql_while_redis_is_down() throws Exception {
        LiveLedger ledger = OrderLedger.get();
        UUID merchant = ledger.openAccount("EUR", 0);
        UUID customer = ledger.openAccount("EUR", 1_000);
        String sku = Orders.product(250, 3, merchant);

        Response placed = Orders.place(UUID.randomUUID().toString(), customer, List.of(Map.of("sku", sku, "quantity", 2)),
                "wait=20");

        assertEquals(200, placed.statusCode(), placed.asString());
        assertEquals("CONFIRMED", placed.jsonPath().getString("status"));
        Response read = given().get("/orders/{id}", placed.jsonPath().getString("id"));
        assertEquals(200, read.statusCode(), read.asString());
        assertEquals("database", read.header("X-Read-Source"));
        assertEquals("CONFIRMED", read.jsonPath().getString("status"));
        assertEquals(500, ledger.balance(merchant));
        assertEquals(1, Orders.stock(sku));
    }
}
