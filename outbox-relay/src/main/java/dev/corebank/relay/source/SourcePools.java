package dev.corebank.relay.source;

import dev.corebank.base.db.DatabaseTimeouts;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/** One connection pool per configured source database, on Quarkus's own Vert.x instance. */
@Singleton
public class SourcePools {

    /** Every pooled relay connection says who it is, so operators can tell it apart in pg_stat_activity. */
    public static final String APPLICATION_NAME = "corebank-outbox-relay";

    private static final Logger LOG = Logger.getLogger(SourcePools.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(3);

    private final RelayConfig config;
    private final DatabaseTimeouts timeouts;
    private final Map<String, Pool> pools;

    SourcePools(RelayConfig config, DatabaseTimeouts timeouts, Vertx vertx) {
        this.config = config;
        this.timeouts = timeouts;
        Map<String, Pool> byName = new LinkedHashMap<>();
        config.sources().forEach((name, source) -> byName.put(name, open(vertx, config, timeouts, name, source)));
        this.pools = Collections.unmodifiableMap(byName);
    }

    /** Pools by source name, in configuration order. */
    public Map<String, Pool> all() {
        return pools;
    }

    /** How to open a dedicated connection to a source, for what a pool cannot do (locks, LISTEN). */
    public PgConnectOptions connectOptions(String name) {
        return connectOptions(config, timeouts, config.sources().get(name));
    }

    /**
     * Closes every pool, waiting a few seconds at most. A connection that stopped answering never completes its
     * close, and a pool's close waits for all its connections: unbounded, that held shutdown until the process was
     * killed. The process exiting closes whatever is left.
     */
    @PreDestroy
    void close() {
        if (pools.isEmpty()) {
            return;
        }
        try {
            Uni.join().all(pools.values().stream().map(Pool::close).toList())
                    .andCollectFailures()
                    .await().atMost(CLOSE_WAIT);
        } catch (TimeoutException e) {
            LOG.warnf("source pools not closed within %s (a connection that stopped answering); exiting anyway",
                    CLOSE_WAIT);
        }
    }

    /**
     * Every connection to a source, pooled or dedicated, carries the platform's limits (statement and idle
     * transaction timeouts, keepalive on both ends): the server's keepalive also ends the session of an owner
     * connection whose relay vanished, freeing its lane locks within minutes rather than hours.
     */
    private static PgConnectOptions connectOptions(RelayConfig config, DatabaseTimeouts timeouts, RelayConfig.Source source) {
        return timeouts.applyTo(PgConnectOptions.fromUri(source.url()))
                .setUser(config.username())
                .setPassword(config.password().orElse(""))
                .setConnectTimeout((int) config.healthTimeout().toMillis())
                .setPipeliningLimit(16)
                // The relay runs the same few statements all day: each connection parses and plans them once.
                // Planned per call, the batch read (a lateral index scan per lane across the outbox's day
                // partitions) took five times longer to plan than to run: 2.6 s of planning against 0.5 s of
                // execution for 5,500 reads at 50 orders/s. Its generic plan is the same index scans whatever
                // the cursors, partitions are pruned when it runs (created_at), and an ANALYZE of the outbox
                // makes it plan again with the new statistics.
                .setCachePreparedStatements(true)
                .addProperty("plan_cache_mode", "force_generic_plan")
                .addProperty("application_name", APPLICATION_NAME);
    }

    private static Pool open(Vertx vertx, RelayConfig config, DatabaseTimeouts timeouts, String name,
            RelayConfig.Source source) {
        // The pool moves cursors. Losing the last moves in a database crash only makes the relay publish those
        // rows again (consumers dedup), so these commits need not wait for the WAL flush.
        PgConnectOptions connect = connectOptions(config, timeouts, source).addProperty("synchronous_commit", "off");
        // A connection that has neither sent nor received a byte for a round's timeout is closed: one that stopped
        // answering mid-query would otherwise hold its round, and its place in the pool, for ever. Idle pooled
        // connections closed this way are simply opened again when needed.
        connect.setIdleTimeout((int) Math.max(1, config.roundTimeout().toSeconds())).setIdleTimeoutUnit(TimeUnit.SECONDS);
        PoolOptions pool = new PoolOptions()
                .setName("relay-" + name)
                .setMaxSize(source.poolSize());
        return PgBuilder.pool()
                .connectingTo(connect)
                .with(pool)
                .using(vertx)
                .build();
    }
}
