package dev.corebank.base.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.function.Supplier;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class DegradableDependencyCheckTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void a_dependency_that_answers_is_up_and_reachable() {
        HealthCheckResponse answer = check(() -> Uni.createFrom().item("PONG")).call().await().indefinitely();

        assertEquals(HealthCheckResponse.Status.UP, answer.getStatus());
        assertEquals(true, answer.getData().orElseThrow().get("reachable"));
        assertEquals(1.0, reachableGauge());
    }

    @Test
    void a_dependency_that_fails_leaves_the_pod_ready_and_says_what_is_degraded() {
        HealthCheckResponse answer = check(() -> Uni.createFrom().failure(new IllegalStateException("connection refused")))
                .call().await().indefinitely();

        assertEquals(HealthCheckResponse.Status.UP, answer.getStatus());
        assertEquals(false, answer.getData().orElseThrow().get("reachable"));
        assertEquals("reads come from PostgreSQL", answer.getData().orElseThrow().get("degraded"));
        assertEquals("connection refused", answer.getData().orElseThrow().get("error"));
        assertEquals(0.0, reachableGauge());
    }

    @Test
    void a_dependency_that_does_not_answer_in_time_counts_as_unreachable() {
        HealthCheckResponse answer = check(() -> Uni.createFrom().nothing()).call().await().atMost(Duration.ofSeconds(5));

        assertEquals(HealthCheckResponse.Status.UP, answer.getStatus());
        assertEquals(false, answer.getData().orElseThrow().get("reachable"));
        assertEquals(0.0, reachableGauge());
    }

    @Test
    void the_gauge_follows_the_last_answer() {
        boolean[] up = {false};
        DegradableDependencyCheck check = check(() -> up[0] ? Uni.createFrom().item("PONG")
                : Uni.createFrom().failure(new IllegalStateException("down")));

        check.call().await().indefinitely();
        assertEquals(0.0, reachableGauge());
        up[0] = true;
        check.call().await().indefinitely();
        assertEquals(1.0, reachableGauge());
    }

    private DegradableDependencyCheck check(Supplier<Uni<?>> ping) {
        return new DegradableDependencyCheck("Cache", "reads come from PostgreSQL", Duration.ofMillis(200), ping, registry) {
        };
    }

    private double reachableGauge() {
        return registry.get("dependency_reachable").tag("dependency", "Cache").gauge().value();
    }
}
