package dev.corebank.transfer;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corebank.testing.Metrics;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A service that holds requests it cannot answer in time refuses new ones at once with a 503 problem and
 * Retry-After, writes nothing for them, keeps answering its probes, and takes requests again once the ones
 * in hand are answered. Requests are held for real: the idempotency table is locked, so every accepting
 * transaction waits on PostgreSQL.
 */
@QuarkusTest
@TestProfile(LoadSheddingTest.Shedding.class)
class LoadSheddingTest {

    private static final String HELD = "http_requests_held";
    private static final String SHED = "http_requests_shed_total";

    /** Two requests older than 300 ms make the service refuse. */
    public static class Shedding implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("corebank.http.shedding.enabled", "true",
                    "corebank.http.shedding.depth", "2",
                    "corebank.http.shedding.answer-target", "300ms");
        }
    }

    @Inject
    Pool pool;

    @Test
    void late_requests_in_hand_make_new_ones_refused_until_they_are_answered() {
        Transfers transfers = new Transfers();
        double shedBefore = Metrics.sum(SHED);
        SqlConnection lock = pool.getConnection().await().atMost(Duration.ofSeconds(10));
        Transaction tx = lock.begin().await().atMost(Duration.ofSeconds(10));
        lock.query("LOCK TABLE idempotency_keys IN EXCLUSIVE MODE").execute().await().atMost(Duration.ofSeconds(10));
        List<CompletableFuture<Response>> held = List.of(
                CompletableFuture.supplyAsync(() -> transfers.post(UUID.randomUUID().toString(), UUID.randomUUID(), UUID.randomUUID(), 1, "EUR")),
                CompletableFuture.supplyAsync(() -> transfers.post(UUID.randomUUID().toString(), UUID.randomUUID(), UUID.randomUUID(), 1, "EUR")));
        String refusedKey = UUID.randomUUID().toString();
        UUID from = UUID.randomUUID();
        UUID to = UUID.randomUUID();
        Response refused;
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> Metrics.sum(HELD) >= 2);
            await().pollDelay(Duration.ofMillis(400)).atMost(Duration.ofSeconds(10)).until(() -> true);

            // Taken on, it would wait on the lock like the others: the test fails on the timeout instead of hanging.
            refused = CompletableFuture.supplyAsync(() -> transfers.post(refusedKey, from, to, 1, "EUR"))
                    .orTimeout(5, TimeUnit.SECONDS).join();

            assertEquals(200, given().get("/q/health/live").statusCode(), "probes are never refused");
            assertTrue(held.stream().noneMatch(CompletableFuture::isDone), "the locked requests are still in hand");
            assertEquals(0, lock.preparedQuery("SELECT count(*) FROM idempotency_keys WHERE key = $1")
                    .execute(Tuple.of(refusedKey)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0),
                    "a refused request writes nothing");
        } finally {
            tx.commit().await().atMost(Duration.ofSeconds(10));
            lock.close().await().atMost(Duration.ofSeconds(10));
        }

        assertEquals(503, refused.statusCode(), refused.asString());
        assertEquals("1", refused.header("Retry-After"));
        assertTrue(refused.contentType().startsWith("application/problem+json"), refused.contentType());
        assertEquals("https://corebank.dev/problems/overloaded", refused.jsonPath().getString("type"));
        assertEquals("/transfers", refused.jsonPath().getString("instance"));
        assertTrue(Metrics.sum(SHED) >= shedBefore + 1, "the refusal is counted");
        for (CompletableFuture<Response> request : held) {
            Response answer = request.join();
            assertEquals(202, answer.statusCode(), answer.asString());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> Metrics.sum(HELD) == 0);
        Response retried = transfers.post(refusedKey, from, to, 1, "EUR");
        assertEquals(202, retried.statusCode(), "the backlog answered, requests are taken again: " + retried.asString());
    }
}
