package dev.corebank.platform.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Upkeep of the outbox's day partitions in a service's own database. */
@ConfigMapping(prefix = "corebank.outbox")
public interface OutboxConfig {

    /**
     * The name the relay publishes this database's outbox under (its {@code ce_source} is
     * {@code /corebank/<name>}): the relay's source name, which replies to this service's commands are
     * addressed to. Unset, the service reads every reply on its reply topics.
     */
    Optional<String> sourceName();

    /** Day partitions kept ready ahead of today, so appends never lack one even if upkeep stops for days. */
    @WithDefault("7")
    int partitionsAhead();

    /** A day partition is dropped this long after its day ended, once the relay has published all of it. */
    @WithDefault("P2D")
    Duration retention();
}
