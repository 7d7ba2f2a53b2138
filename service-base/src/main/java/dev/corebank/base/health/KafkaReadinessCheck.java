package dev.corebank.base.health;

import dev.corebank.base.kafka.KafkaSecurity;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the Kafka cluster, asked of the broker itself with a bounded wait.
 *
 * <p>The messaging connector only reports channels it already has; a service with no channel open yet, or
 * a broker that died after start-up, must still show up here as DOWN with the reason, and quickly: a
 * readiness probe that hangs is worse than one that fails.
 */
@Readiness
@Singleton
public class KafkaReadinessCheck implements AsyncHealthCheck {

    static final String NAME = "Kafka cluster";

    private final HealthConfig config;
    private final Admin admin;

    KafkaReadinessCheck(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, HealthConfig config) {
        this.config = config;
        this.admin = Admin.create(adminConfig(kafkaConfig, config));
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        int timeoutMs = (int) config.kafkaTimeout().toMillis();
        return Uni.createFrom()
                .completionStage(() -> admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs))
                        .nodes()
                        .toCompletionStage())
                .map(KafkaReadinessCheck::up)
                .ifNoItem().after(config.kafkaTimeout().plusMillis(500))
                .failWith(() -> new IllegalStateException("no answer from the cluster within " + config.kafkaTimeout()))
                .onFailure().recoverWithItem(KafkaReadinessCheck::down);
    }

    @PreDestroy
    void close() {
        admin.close(Duration.ZERO);
    }

    private static HealthCheckResponse up(Collection<Node> nodes) {
        return HealthCheckResponse.named(NAME)
                .up()
                .withData("nodes", nodes.stream().map(n -> n.host() + ":" + n.port()).collect(Collectors.joining(",")))
                .build();
    }

    private static HealthCheckResponse down(Throwable failure) {
        Throwable cause = failure.getCause() != null && failure.getMessage() == null ? failure.getCause() : failure;
        return HealthCheckResponse.named(NAME)
                .down()
                .withData("reason", cause.getClass().getSimpleName() + ": " + cause.getMessage())
                .build();
    }

    private static Map<String, Object> adminConfig(Map<String, Object> kafkaConfig, HealthConfig config) {
        Map<String, Object> props = new HashMap<>();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaConfig.get("bootstrap.servers"));
        props.putAll(KafkaSecurity.settings(kafkaConfig));
        int timeoutMs = (int) config.kafkaTimeout().toMillis();
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        // A dead broker is retried at a calm pace rather than flooding the log with reconnects.
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 5_000);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "readiness-check");
        return props;
    }
}
