package dev.corebank.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.net.URI;
import java.util.Map;

/**
 * Points the service at the local stack's Redis through a {@link StallingProxy}, so that a test can make Redis
 * accept and not answer, as {@code CLIENT PAUSE} does, and let it answer again, without touching the Redis other
 * tests share.
 */
public class StallableRedis implements QuarkusTestProfile {

    public static final StallingProxy PROXY = proxy();

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:" + PROXY.port());
    }

    private static StallingProxy proxy() {
        URI redis = URI.create(LocalStack.fromEnvironment().map(LocalStack::redisUrl).orElse("redis://127.0.0.1:6379"));
        return StallingProxy.to(redis.getHost(), redis.getPort() < 0 ? 6379 : redis.getPort());
    }
}
