package dev.corebank.platform.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Upkeep of the outbox's day partitions in a service's own database. */
@ConfigMapping(prefix = "corebank.outbox")
public interface OutboxConfig {

    /** Day partitions kept ready ahead of today, so appends never lack one even if upkeep stops for days. */
    @WithDefault("7")
    int partitionsAhead();

    /** A day partition is dropped this long after its day ended, once the relay has published all of it. */
    @WithDefault("P2D")
    Duration retention();
}
