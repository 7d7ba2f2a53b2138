package dev.corebank.order.readmodel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corebank.order.orders.Order;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Orders in Redis for {@code GET /orders/{id}}: one hash per order ({@code version}, {@code state} as JSON),
 * written after each transaction that changed the order. A write lands only if it is newer than what is
 * there (checked and written in one Lua script), so a late write never puts an older state back.
 *
 * <p>A write can be lost (Redis away at that moment), so an unfinished order's copy lives only
 * {@code OPEN_TTL}: it can be stale for that long at most before reads fall through to PostgreSQL. A
 * finished order never changes again and is kept for a day.
 */
@Singleton
public class OrderReadModel {

    private static final Logger LOG = Logger.getLogger(OrderReadModel.class);

    private static final String KEY_PREFIX = "corebank:order:";
    private static final Duration OPEN_TTL = Duration.ofSeconds(5);
    private static final Duration FINAL_TTL = Duration.ofDays(1);
    private static final String PUT_IF_NEWER = """
            local current = redis.call('HGET', KEYS[1], 'version')
            if current and tonumber(current) >= tonumber(ARGV[1]) then
              return 0
            end
            redis.call('HSET', KEYS[1], 'version', ARGV[1], 'state', ARGV[2])
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            return 1""";
    // Below the Redis client's pool and wait queue, so a large batch never overflows them.
    private static final int CONCURRENT_WRITES = 8;

    private final ReactiveRedisDataSource redis;
    private final ObjectMapper json;

    public OrderReadModel(ReactiveRedisDataSource redis, ObjectMapper json) {
        this.redis = redis;
        this.json = json;
    }

    /** The order as Redis has it; empty if it has none (or Redis does not answer: the caller reads PostgreSQL). */
    public Uni<Optional<Order>> get(UUID orderId) {
        return redis.hash(String.class, String.class, String.class).hget(key(orderId), "state")
                .map(state -> Optional.ofNullable(state).map(this::parse))
                .onFailure().invoke(e -> LOG.debugf("order read model unavailable (%s); reading PostgreSQL", e.getMessage()))
                .onFailure().recoverWithItem(Optional.empty());
    }

    /** Stores {@code order} unless Redis holds this version or a newer one. Never fails: Redis is only a cache. */
    public Uni<Void> put(Order order) {
        Duration ttl = order.isFinal() ? FINAL_TTL : OPEN_TTL;
        return redis.execute("EVAL", PUT_IF_NEWER, "1", key(order.id()), Long.toString(order.version()),
                        toJson(order), Long.toString(ttl.toMillis()))
                .replaceWithVoid()
                .onFailure().invoke(e -> LOG.debugf("could not cache order %s (%s)", order.id(), e.getMessage()))
                .onFailure().recoverWithNull();
    }

    public Uni<Void> putAll(List<Order> orders) {
        if (orders.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(orders)
                .onItem().transformToUni(this::put).merge(CONCURRENT_WRITES)
                .collect().last()
                .replaceWithVoid();
    }

    private static String key(UUID orderId) {
        return KEY_PREFIX + orderId;
    }

    private String toJson(Order order) {
        try {
            return json.writeValueAsString(order);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + order, e);
        }
    }

    private Order parse(String state) {
        try {
            return json.readValue(state, Order.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable order in Redis: " + state, e);
        }
    }
}
