package dev.corebank.testing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;

import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What operators rely on from every service: liveness, readiness that names each dependency it checked,
 * Prometheus metrics and the OpenAPI document. A service's test extends this and names its checks.
 */
public abstract class OperabilityContract {

    /** Readiness check of a service's own database (the reactive pool requests use). */
    public static final String POSTGRES = "Reactive PostgreSQL connections health check";
    /** Readiness check of Redis, which every service can do without (service-base's DegradableDependencyCheck). */
    public static final String REDIS = "Redis";
    /** Readiness check of the Kafka cluster (service-base's KafkaReadinessCheck). */
    public static final String KAFKA = "Kafka cluster";

    /** Names of the readiness checks this service must report, one per dependency. */
    protected abstract List<String> expectedReadinessChecks();

    /**
     * Asked until it says UP: each check has a bound of a few seconds, which one answer on a busy machine may
     * miss without anything being wrong; a dependency that is really down keeps it DOWN for the whole minute.
     */
    @Test
    void readiness_reports_every_dependency_up() {
        await().alias("readiness UP with every dependency's check UP")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(this::assertEveryDependencyUp);
    }

    private void assertEveryDependencyUp() {
        String answer = given()
                .when().get("/q/health/ready")
                .then().extract().asString();
        JsonPath health = JsonPath.from(answer);
        assertThat("readiness answered " + answer, health.getString("status"), equalTo("UP"));

        List<String> names = health.getList("checks.name");
        assertThat(names, hasItems(expectedReadinessChecks().toArray(String[]::new)));
        for (String name : expectedReadinessChecks()) {
            String check = "checks.find { it.name == '" + name + "' }";
            assertThat(name, health.getString(check + ".status"), equalTo("UP"));
            // A dependency the service can do without stays UP when away; here it must also have answered.
            if (health.get(check + ".data.reachable") != null) {
                assertThat(name + " answered", health.getBoolean(check + ".data.reachable"), equalTo(true));
            }
        }
    }

    @Test
    void liveness_is_up() {
        given()
                .when().get("/q/health/live")
                .then().statusCode(200)
                .body("status", equalTo("UP"));
    }

    @Test
    void metrics_are_exposed_for_prometheus() {
        given()
                .accept("text/plain")
                .when().get("/q/metrics")
                .then().statusCode(200)
                .contentType(containsString("text/plain"))
                .body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void openapi_document_is_served() {
        given()
                .accept("application/json")
                .when().get("/q/openapi")
                .then().statusCode(200)
                .body("openapi", startsWith("3."));
    }
}
