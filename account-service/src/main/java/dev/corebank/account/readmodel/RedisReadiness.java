package dev.corebank.account.readmodel;

import dev.corebank.base.health.DegradableDependencyCheck;
import dev.corebank.base.health.HealthConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.Readiness;

/** Redis holds only the account read model; without it every read comes from PostgreSQL. */
@Readiness
@Singleton
class RedisReadiness extends DegradableDependencyCheck {

    RedisReadiness(ReactiveRedisDataSource redis, HealthConfig config, MeterRegistry registry) {
        super("Redis", "accounts are read from PostgreSQL; money moves as usual", config.degradableTimeout(),
                () -> redis.execute("PING"), registry);
    }
}
