package dev.corebank.base.health;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Bounds of the dependency checks behind {@code /q/health/ready}. */
@ConfigMapping(prefix = "corebank.health")
public interface HealthConfig {

    /** How long the Kafka check waits for the cluster to answer before it reports the broker unreachable. */
    @WithDefault("3s")
    Duration kafkaTimeout();

    /** How long a dependency the service can do without (Redis) may take to answer before it counts as unreachable. */
    @WithDefault("1s")
    Duration degradableTimeout();
}
