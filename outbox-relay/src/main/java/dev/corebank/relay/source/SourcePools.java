package dev.corebank.relay.source;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One connection pool per configured source database, on Quarkus's own Vert.x instance. */
@Singleton
public class SourcePools {

    private final Map<String, Pool> pools;

    SourcePools(RelayConfig config, Vertx vertx) {
        Map<String, Pool> byName = new LinkedHashMap<>();
        config.sources().forEach((name, source) -> byName.put(name, open(vertx, config, name, source)));
        this.pools = Collections.unmodifiableMap(byName);
    }

    /** Pools by source name, in configuration order. */
    public Map<String, Pool> all() {
        return pools;
    }

    @PreDestroy
    void close() {
        pools.values().forEach(pool -> pool.close().await().indefinitely());
    }

    private static Pool open(Vertx vertx, RelayConfig config, String name, RelayConfig.Source source) {
        PgConnectOptions connect = PgConnectOptions.fromUri(source.url())
                .setUser(config.username())
                .setPassword(config.password().orElse(""))
                .setConnectTimeout((int) config.healthTimeout().toMillis());
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
