package dev.corebank.platform.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(KafkaReadinessCheckTest.BrokerGone.class)
class KafkaReadinessCheckTest {

    /** A broker that is not there: nothing listens on port 1, as after the broker was killed. */
    public static class BrokerGone implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "kafka.bootstrap.servers", "127.0.0.1:1",
                    "corebank.health.kafka-timeout", "2s");
        }
    }

    /** Guards against a hang only: far above the check's own bound, never a performance claim. */
    private static final RestAssuredConfig NO_HANG = RestAssuredConfig.config()
            .httpClient(HttpClientConfig.httpClientConfig()
                    .setParam("http.socket.timeout", 30_000)
                    .setParam("http.connection.timeout", 5_000));

    @Test
    void unreachable_broker_makes_readiness_down_with_a_reason() {
        given()
                .config(NO_HANG)
                .when().get("/q/health/ready")
                .then().log().ifValidationFails()
                .statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.name", hasItem(KafkaReadinessCheck.NAME))
                .body("checks.find { it.name == 'Kafka cluster' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'Kafka cluster' }.data.reason", not(emptyOrNullString()));
    }

    @Test
    void liveness_does_not_depend_on_the_broker() {
        given()
                .config(NO_HANG)
                .when().get("/q/health/live")
                .then().statusCode(200);
    }
}
