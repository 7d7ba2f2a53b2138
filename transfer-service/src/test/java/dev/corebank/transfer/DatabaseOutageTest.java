package dev.corebank.transfer;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corebank.testing.DatabaseOutage;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The service's database away: a client is told to come back later (503 problem+json with Retry-After), never
 * given a 500; the pod is live and not ready; nothing is written; and once the database is back the same
 * request, under the same Idempotency-Key, goes through once.
 */
@QuarkusTest
class DatabaseOutageTest {

    // Guards against a hang; not a speed claim.
    private static final Duration WITHIN = Duration.ofSeconds(30);

    @Inject
    Pool pool;

    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String databaseUrl;

    @Test
    void while_the_database_is_away_a_transfer_gets_503_with_retry_after_and_the_same_request_goes_through_after() {
        Transfers transfers = new Transfers();
        String key = UUID.randomUUID().toString();
        UUID from = UUID.randomUUID();
        UUID to = UUID.randomUUID();

        try (DatabaseOutage outage = DatabaseOutage.begin(databaseUrl)) {
            await().alias("readiness DOWN while the database is away").atMost(WITHIN)
                    .until(() -> given().get("/q/health/ready").statusCode() == 503);

            Response refused = transfers.post(key, from, to, 250, "EUR");

            assertEquals(503, refused.statusCode(), refused.asString());
            assertTrue(refused.contentType().startsWith("application/problem+json"), refused.contentType());
            assertEquals("5", refused.header("Retry-After"));
            assertEquals("Service unavailable", refused.jsonPath().getString("title"));
            assertEquals("/transfers", refused.jsonPath().getString("instance"));
            given().get("/q/health/live").then().statusCode(200);
        }

        await().alias("readiness UP once the database is back").atMost(WITHIN)
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
        Response accepted = transfers.post(key, from, to, 250, "EUR");
        assertEquals(202, accepted.statusCode(), accepted.asString());
        assertEquals(1, Transfers.count(pool, "SELECT count(*) FROM transfers WHERE from_account_id = $1", from));
    }
}
