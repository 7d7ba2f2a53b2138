package dev.corebank.transfer.ratelimit;

import dev.corebank.transfer.config.TransferConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Token buckets in Redis, one per source account and one per client, checked and taken together by one
 * script: a request goes ahead only if both have a token, and a refused request takes none. The time is
 * Redis's own, so replicas with drifting clocks share the buckets fairly.
 *
 * <p>If Redis does not answer within {@value #TIMEOUT_MS} ms the request goes ahead (counted as
 * {@code transfers.rate_limit.unavailable}): the limits protect capacity, not money, and a Redis outage
 * should not stop transfers.
 */
@Singleton
public class RateLimits {

    private static final Logger LOG = Logger.getLogger(RateLimits.class);
    private static final long TIMEOUT_MS = 250;

    // KEYS: the buckets. ARGV: capacity and tokens per millisecond of each. Returns allowed (1/0), the
    // milliseconds until a refused request could go ahead, then per bucket: tokens left, ms until full.
    private static final String TAKE = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local allowed, retry, tokens = 1, 0, {}
            for i = 1, #KEYS do
              local capacity, rate = tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])
              local b = redis.call('HMGET', KEYS[i], 'tokens', 'ts')
              local left = tonumber(b[1]) or capacity
              local since = now - (tonumber(b[2]) or now)
              left = math.min(capacity, left + math.max(0, since) * rate)
              if left < 1 then
                allowed = 0
                retry = math.max(retry, math.ceil((1 - left) / rate))
              end
              tokens[i] = left
            end
            local result = {allowed, retry}
            for i = 1, #KEYS do
              local capacity, rate = tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])
              if allowed == 1 then
                tokens[i] = tokens[i] - 1
                redis.call('HSET', KEYS[i], 'tokens', tostring(tokens[i]), 'ts', now)
                redis.call('PEXPIRE', KEYS[i], math.ceil(capacity / rate) + 1000)
              end
              table.insert(result, math.floor(tokens[i]))
              table.insert(result, math.ceil((capacity - tokens[i]) / rate))
            end
            return result""";
    private static final String TAKE_SHA = sha1(TAKE);

    private final ReactiveRedisDataSource redis;
    private final TransferConfig.RateLimits config;
    private final Counter unavailable;
    private final MeterRegistry registry;

    public RateLimits(ReactiveRedisDataSource redis, TransferConfig config, MeterRegistry registry) {
        this.redis = redis;
        this.config = config.rateLimits();
        this.registry = registry;
        this.unavailable = Counter.builder("transfers.rate_limit.unavailable")
                .description("Requests let through unchecked because Redis did not answer")
                .register(registry);
    }

    /** Takes a token from both buckets, or from neither; the decision says which limit is tightest. */
    public Uni<Decision> take(String clientId, UUID fromAccountId) {
        List<Bucket> buckets = List.of(
                new Bucket("account", "corebank:ratelimit:account:" + fromAccountId, config.perAccount()),
                new Bucket("client", "corebank:ratelimit:client:" + clientId, config.perClient()));
        List<String> args = new ArrayList<>(List.of(TAKE_SHA, Integer.toString(buckets.size())));
        buckets.forEach(bucket -> args.add(bucket.key()));
        buckets.forEach(bucket -> {
            args.add(Integer.toString(bucket.limit().capacity()));
            args.add(Double.toString(bucket.limit().perSecond() / 1000.0));
        });
        return evalsha(args)
                .map(response -> decide(buckets, response))
                .ifNoItem().after(Duration.ofMillis(TIMEOUT_MS)).fail()
                .onFailure().recoverWithItem(e -> {
                    unavailable.increment();
                    LOG.debugf("rate limits unchecked: Redis failed with %s", e.toString());
                    return Decision.UNCHECKED;
                })
                .invoke(decision -> {
                    if (!decision.allowed()) {
                        registry.counter("transfers.rate_limited", "limit", decision.tightest().name()).increment();
                    }
                });
    }

    private Uni<Response> evalsha(List<String> args) {
        return redis.execute("EVALSHA", args.toArray(String[]::new))
                .onFailure(e -> e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT"))
                .recoverWithUni(() -> {
                    List<String> eval = new ArrayList<>(args);
                    eval.set(0, TAKE);
                    return redis.execute("EVAL", eval.toArray(String[]::new));
                });
    }

    private static Decision decide(List<Bucket> buckets, Response response) {
        boolean allowed = response.get(0).toLong() == 1;
        long retryAfterMs = response.get(1).toLong();
        Limit tightest = null;
        for (int i = 0; i < buckets.size(); i++) {
            Bucket bucket = buckets.get(i);
            Limit limit = new Limit(bucket.name(), bucket.limit().capacity(), Math.max(0, response.get(2 + 2 * i).toLong()),
                    response.get(3 + 2 * i).toLong());
            if (tightest == null || limit.remaining() < tightest.remaining()) {
                tightest = limit;
            }
        }
        return new Decision(allowed, retryAfterMs, tightest);
    }

    private static String sha1(String script) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }

    private record Bucket(String name, String key, TransferConfig.RateLimits.Bucket limit) {
    }

    /** One limit's state after a request: {@code resetMs} is the time until its bucket is full again. */
    public record Limit(String name, int capacity, long remaining, long resetMs) {
    }

    /** Whether the request may go ahead; if not, when it could. {@code tightest} is null when unchecked. */
    public record Decision(boolean allowed, long retryAfterMs, Limit tightest) {

        static final Decision UNCHECKED = new Decision(true, 0, null);
    }
}
