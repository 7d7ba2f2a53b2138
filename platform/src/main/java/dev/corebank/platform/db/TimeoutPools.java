package dev.corebank.platform.db;

import dev.corebank.base.db.DatabaseTimeouts;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Creates a service's reactive PostgreSQL pool as Quarkus would, with {@link DatabaseTimeouts} on every
 * connection: Quarkus's own datasource settings offer no TCP keepalive, and the session limits belong with it
 * in one typed place.
 */
@Singleton
public class TimeoutPools implements PgPoolCreator {

    private final DatabaseTimeouts timeouts;

    public TimeoutPools(DatabaseTimeouts timeouts) {
        this.timeouts = timeouts;
    }

    @Override
    @SuppressWarnings("deprecation") // Quarkus casts what a creator returns to PgPool
    public Pool create(Input input) {
        List<PgConnectOptions> servers = input.pgConnectOptionsList().stream()
                .map(options -> timeouts.applyTo(new PgConnectOptions(options)))
                .toList();
        return PgPool.pool(input.vertx(), servers, input.poolOptions());
    }
}
