package dev.corebank.order;

import dev.corebank.testing.Tokens;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corebank.testing.LiveLedger;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** POST /orders under an Idempotency-Key: a retry never makes a second order. */
@QuarkusTest
class IdempotencyTest {

    @Inject
    Pool pool;

    private static LiveLedger ledger;

    @BeforeAll
    static void ledger() {
        ledger = OrderLedger.get();
    }

    @Test
    void a_retry_with_the_same_key_and_body_gets_the_same_order_as_it_is_now() throws Exception {
        UUID merchant = ledger.openAccount("EUR", 0);
        UUID customer = ledger.openAccount("EUR", 1_000);
        String sku = Orders.product(100, 5, merchant);
        String key = UUID.randomUUID().toString();

        Response first = Orders.place(key, customer, sku);
        String id = first.jsonPath().getString("id");
        Orders.awaitFinal(id, java.time.Duration.ofSeconds(60));
        Response retry = Orders.place(key, customer, sku);

        assertEquals(200, retry.statusCode(), retry.asString());
        assertEquals(id, retry.jsonPath().getString("id"));
        assertEquals("CONFIRMED", retry.jsonPath().getString("status"));
        assertEquals("true", retry.header("Idempotent-Replayed"));
        assertEquals(1, Orders.count(pool, "SELECT count(*) FROM orders WHERE customer_account_id = $1", customer));
        assertEquals(4, Orders.stock(sku));
        assertEquals(900, ledger.balance(customer), "paid once");
    }

    @Test
    void the_same_key_with_another_body_is_refused_and_writes_nothing() throws Exception {
        UUID merchant = ledger.openAccount("EUR", 0);
        UUID customer = ledger.openAccount("EUR", 1_000);
        String sku = Orders.product(100, 5, merchant);
        String key = UUID.randomUUID().toString();
        // Finished first, so its own saga writes nothing more while the second request is judged.
        Orders.awaitFinal(Orders.place(key, customer, sku).jsonPath().getString("id"), java.time.Duration.ofSeconds(60));
        String before = footprint(customer, key);

        Response reused = Orders.place(key, customer, List.of(Map.of("sku", sku, "quantity", 2)), null);

        assertEquals(422, reused.statusCode(), reused.asString());
        assertEquals("application/problem+json", reused.contentType());
        assertTrue(reused.jsonPath().getString("type").endsWith("/idempotency-key-reused"));
        assertEquals(before, footprint(customer, key));
        assertEquals(4, Orders.stock(sku), "only the first order's unit is gone");
    }

    /** What this customer's requests wrote: other tests' sagas may still be writing elsewhere meanwhile. */
    private String footprint(UUID customer, String key) {
        return "orders=" + Orders.count(pool, "SELECT count(*) FROM orders WHERE customer_account_id = $1", customer)
                + " keys=" + Orders.count(pool, "SELECT count(*) FROM order_requests WHERE key = $1", key)
                + " commands=" + Orders.count(pool, "SELECT count(*) FROM outbox WHERE aggregate_id = $1", customer.toString());
    }

    @Test
    void line_order_does_not_make_another_request() throws Exception {
        UUID merchant = ledger.openAccount("EUR", 0);
        UUID customer = ledger.openAccount("EUR", 1_000);
        String a = Orders.product(100, 5, merchant);
        String b = Orders.product(100, 5, merchant);
        String key = UUID.randomUUID().toString();

        Response first = Orders.place(key, customer, a, b);
        Response swapped = Orders.place(key, customer, b, a);

        assertEquals(first.jsonPath().getString("id"), swapped.jsonPath().getString("id"));
    }

    @Test
    void concurrent_requests_with_one_key_make_one_order() throws Exception {
        UUID merchant = ledger.openAccount("EUR", 0);
        UUID customer = ledger.openAccount("EUR", 10_000);
        String sku = Orders.product(100, 50, merchant);
        String key = UUID.randomUUID().toString();

        List<CompletableFuture<Response>> racing = java.util.stream.IntStream.range(0, 8)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> Orders.place(key, customer, sku)))
                .toList();
        List<String> ids = racing.stream().map(CompletableFuture::join).map(r -> {
            assertTrue(r.statusCode() == 200 || r.statusCode() == 202, r.asString());
            return r.jsonPath().getString("id");
        }).distinct().toList();

        assertEquals(1, ids.size(), "one order for one key: " + ids);
        assertEquals(1, Orders.count(pool, "SELECT count(*) FROM orders WHERE customer_account_id = $1", customer));
        assertEquals(1, Orders.count(pool, "SELECT count(*) FROM outbox WHERE aggregate_id = $1 AND event_type = 'PlaceHold'",
                customer.toString()), "one hold asked for");
    }

    @Test
    void keys_are_scoped_per_client() throws Exception {
        UUID merchant = ledger.openAccount("EUR", 0);
        UUID customer = ledger.openAccount("EUR", 1_000);
        String sku = Orders.product(100, 5, merchant);
        String key = UUID.randomUUID().toString();

        String mine = io.restassured.RestAssured.given().contentType("application/json").header("Idempotency-Key", key)
                .header("Authorization", Tokens.bearer(Tokens.mint("shop-a", "teller")))
                .body(Map.of("customerAccountId", customer.toString(), "items", List.of(Map.of("sku", sku, "quantity", 1))))
                .post("/orders").jsonPath().getString("id");
        String theirs = io.restassured.RestAssured.given().contentType("application/json").header("Idempotency-Key", key)
                .header("Authorization", Tokens.bearer(Tokens.mint("shop-b", "teller")))
                .body(Map.of("customerAccountId", customer.toString(), "items", List.of(Map.of("sku", sku, "quantity", 1))))
                .post("/orders").jsonPath().getString("id");

        assertTrue(!mine.equals(theirs), "two callers' keys never collide");
    }
}
