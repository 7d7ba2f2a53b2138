package dev.corebank.transfer.ratelimit;

import dev.corebank.base.health.DegradableDependencyCheck;
import dev.corebank.base.health.HealthConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.Readiness;

/**
 * Redis holds only the rate-limit counters, which protect capacity, not money: without it transfers are
 * accepted unchecked and counted in transfers_rate_limit_unavailable_total.
 */
@Readiness
@Singleton
class RedisReadiness extends DegradableDependencyCheck {

    RedisReadiness(ReactiveRedisDataSource redis, HealthConfig config, MeterRegistry registry) {
        super("Redis", "transfers are accepted without rate limits (counted in transfers_rate_limit_unavailable_total)",
                config.degradableTimeout(), () -> redis.execute("PING"), registry);
    }
}
