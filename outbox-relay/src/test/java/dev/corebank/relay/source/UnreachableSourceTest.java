package dev.corebank.relay.source;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A relay that cannot reach one of its sources is not ready, and says which source and why. */
@QuarkusTest
@TestProfile(UnreachableSourceTest.WithAGhostSource.class)
class UnreachableSourceTest {

    public static class WithAGhostSource implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Nothing listens on port 1: as if that database server were down.
            return Map.of("corebank.relay.sources.ghost.url", "postgresql://127.0.0.1:1/ghost",
                    // A source may publish nothing unless it is named here; the relay refuses to start otherwise.
                    "corebank.relay.allowed-topics.ghost", "ghost.events");
        }
    }

    /** Asked again while the reachable source misses the check's few seconds, as it may on a busy machine. */
    @Test
    void readiness_is_down_naming_the_unreachable_source() {
        await().alias("readiness DOWN for ghost alone, accounts UP")
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given()
                        .when().get("/q/health/ready")
                        .then().statusCode(503)
                        .body("checks.find { it.name == 'Outbox source databases' }.status", equalTo("DOWN"))
                        .body("checks.find { it.name == 'Outbox source databases' }.data.ghost", startsWith("DOWN: "))
                        .body("checks.find { it.name == 'Outbox source databases' }.data.accounts", equalTo("UP")));
    }

    @Test
    void status_shows_the_source_unreachable_with_its_error() {
        await().alias("/relay/status shows ghost unreachable with its error")
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given()
                        .when().get("/relay/status")
                        .then().statusCode(200)
                        .body("sources.find { it.name == 'ghost' }.reachable", equalTo(false))
                        .body("sources.find { it.name == 'ghost' }.lastError", notNullValue())
                        .body("sources.find { it.name == 'ghost' }.lastErrorAt", notNullValue()));
    }
}
