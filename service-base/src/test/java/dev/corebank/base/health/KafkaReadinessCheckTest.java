package dev.corebank.base.health;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class KafkaReadinessCheckTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private static final HealthConfig TWO_SECONDS = new HealthConfig() {
        @Override
        public Duration kafkaTimeout() {
            return Duration.ofSeconds(2);
        }

        @Override
        public Duration degradableTimeout() {
            return Duration.ofSeconds(1);
        }
    };

    @Test
    void a_broker_that_is_gone_leaves_the_service_ready_and_says_it_is_unreachable_and_why() throws Exception {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort(); // free once closed: nothing listens there, as after kill -9
        }
        KafkaReadinessCheck check = new KafkaReadinessCheck(Map.of("bootstrap.servers", "127.0.0.1:" + deadPort), TWO_SECONDS,
                registry);
        try {
            // The wait is a guard against a hang, far above the check's own bound, not a speed claim.
            HealthCheckResponse response = check.call().await().atMost(Duration.ofSeconds(30));

            assertEquals(KafkaReadinessCheck.NAME, response.getName());
            // Ready: the outbox holds what is accepted meanwhile.
            assertEquals(HealthCheckResponse.Status.UP, response.getStatus());
            Map<String, Object> data = response.getData().orElseThrow();
            assertEquals(false, data.get("reachable"));
            assertTrue(String.valueOf(data.get("degraded")).contains("outbox"), String.valueOf(data));
            assertTrue(String.valueOf(data.get("error")).contains("Timed out"), String.valueOf(data));
            assertEquals(0.0, registry.get("dependency_reachable").tag("dependency", KafkaReadinessCheck.NAME).gauge().value());
        } finally {
            check.close();
        }
    }

    /**
     * Asked until UP, as a readiness probe is: the first answer needs a connection and the cluster's metadata
     * within the check's 2 s, which a busy machine may miss (seen at load 20) without anything being wrong.
     */
    @Test
    void a_running_broker_reports_up_with_its_nodes() {
        String bootstrap = System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
        KafkaReadinessCheck check = new KafkaReadinessCheck(Map.of("bootstrap.servers", bootstrap), TWO_SECONDS, registry);
        try {
            await().alias("the Kafka readiness check UP with the nodes of " + bootstrap)
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> {
                        HealthCheckResponse response = check.call().await().atMost(Duration.ofSeconds(30));

                        assertEquals(true, response.getData().orElseThrow().get("reachable"), String.valueOf(response.getData()));
                        assertFalse(String.valueOf(response.getData().orElseThrow().get("nodes")).isBlank());
                    });
        } finally {
            check.close();
        }
    }
}
