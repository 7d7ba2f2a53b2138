package dev.corebank.base.rest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** When the HTTP layer refuses new requests because those in hand are waiting too long (see LoadShedding). */
@ConfigMapping(prefix = "corebank.http.shedding")
public interface SheddingConfig {

    /** Off: every request is taken, however long the ones in hand have waited. */
    @WithDefault("true")
    boolean enabled();

    /** How long a request may be in hand before it counts as late. */
    @WithDefault("2s")
    Duration answerTarget();

    /** How many late requests in hand make the service refuse new ones. */
    @WithDefault("16")
    int depth();
}
