package dev.corebank.base.health;

import dev.corebank.base.kafka.KafkaSecurity;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
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
import org.eclipse.microprofile.health.Readiness;

/**
 * Whether the Kafka cluster answers, asked of the broker itself with a bounded wait, so that a broker that died
 * after start-up shows here within seconds with the reason.
 *
 * <p>The broker is a dependency every process can wait out: the services commit their events to the outbox
 * whether or not it is there, the relay publishes them once it is back, and the consumers resume where they
 * stopped. Taking the pods out of rotation would refuse the requests the outbox would have held, so the check
 * reports the broker unreachable and stays UP (see {@link DegradableDependencyCheck}); alert on
 * {@code dependency_reachable{dependency="Kafka cluster"}}.
 */
@Readiness
@Singleton
public class KafkaReadinessCheck extends DegradableDependencyCheck {

    static final String NAME = "Kafka cluster";
    private static final String WITHOUT_IT = "requests are still accepted; their events wait in the outbox and are "
            + "published, and consumers resume, when the broker is back";

    private final Admin admin;

    @Inject
    public KafkaReadinessCheck(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, HealthConfig config,
            MeterRegistry registry) {
        this(Admin.create(adminConfig(kafkaConfig, config)), config, registry);
    }

    private KafkaReadinessCheck(Admin admin, HealthConfig config, MeterRegistry registry) {
        super(NAME, WITHOUT_IT, config.kafkaTimeout().plusMillis(500), () -> nodes(admin, config.kafkaTimeout()), registry);
        this.admin = admin;
    }

    @Override
    protected Map<String, String> describe(Object nodes) {
        return Map.of("nodes", ((Collection<?>) nodes).stream()
                .map(node -> ((Node) node).host() + ":" + ((Node) node).port())
                .collect(Collectors.joining(",")));
    }

    @PreDestroy
    void close() {
        admin.close(Duration.ZERO);
    }

    private static Uni<Collection<Node>> nodes(Admin admin, Duration timeout) {
        return Uni.createFrom().completionStage(() -> admin.describeCluster(
                        new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                .nodes()
                .toCompletionStage());
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
