package dev.corebank.platform.readmodel;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How long the services wait on Redis for a read model. */
@ConfigMapping(prefix = "corebank.read-model")
public interface ReadModelConfig {

    /**
     * Longest one read or write of a read model may wait for Redis's answer. A Redis that accepts connections but
     * never answers (paused, swapping, a network partition) then costs a request this much, after which it is
     * served from PostgreSQL; the Redis client itself has no such limit on its reactive calls.
     */
    @WithDefault("500ms")
    Duration timeout();
}
