package dev.corebank.transfer;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import dev.corebank.testing.Tokens;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.UUID;

/** The transfers API as tests call it, each test as a teller of its own (its own keys and bucket), and counts from its database. */
final class Transfers {

    private final String token = Tokens.mint("test-" + UUID.randomUUID(), "teller");

    RequestSpecification request() {
        return given().contentType("application/json").header("Authorization", Tokens.bearer(token));
    }

    Response post(String key, UUID from, UUID to, long amount, String currency) {
        return request().header("Idempotency-Key", key).body(body(from, to, amount, currency)).post("/transfers");
    }

    Response postAndWait(String key, UUID from, UUID to, long amount, String currency, int seconds) {
        return request().header("Idempotency-Key", key).header("Prefer", "wait=" + seconds)
                .body(body(from, to, amount, currency)).post("/transfers");
    }

    static String body(UUID from, UUID to, long amount, String currency) {
        return "{\"fromAccountId\":\"" + from + "\",\"toAccountId\":\"" + to + "\",\"amount\":" + amount
                + ",\"currency\":\"" + currency + "\",\"description\":\"test\"}";
    }

    /** The transfer once it is no longer PENDING. */
    static Response awaitFinal(String id, Duration within) {
        Response[] last = new Response[1];
        await().atMost(within).pollInterval(Duration.ofMillis(100)).until(() -> {
            last[0] = given().get("/transfers/{id}", id);
            return !"PENDING".equals(last[0].jsonPath().getString("status"));
        });
        return last[0];
    }

    static long count(Pool pool, String sql, Object... args) {
        return pool.preparedQuery(sql).execute(Tuple.tuple(java.util.List.of(args)))
                .await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong(0);
    }
}
