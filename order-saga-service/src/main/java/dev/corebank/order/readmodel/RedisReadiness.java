package dev.corebank.order.readmodel;

import dev.corebank.base.health.DegradableDependencyCheck;
import dev.corebank.base.health.HealthConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.Readiness;

/** Redis holds only the order read model; without it orders are read from PostgreSQL and sagas run as usual. */
@Readiness
@Singleton
class RedisReadiness extends DegradableDependencyCheck {

    RedisReadiness(ReactiveRedisDataSource redis, HealthConfig config, MeterRegistry registry) {
        super("Redis", "orders are read from PostgreSQL; sagas run as usual", config.degradableTimeout(),
                () -> redis.execute("PING"), registry);
    }
}
