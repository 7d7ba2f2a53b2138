package dev.corebank.order.readmodel;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corebank.order.orders.Order;
import dev.corebank.platform.readmodel.ReadModelConfig;
import dev.corebank.platform.readmodel.VersionedHashes;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
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

    private static final Duration OPEN_TTL = Duration.ofSeconds(5);
    private static final Duration FINAL_TTL = Duration.ofDays(1);

    private final VersionedHashes<Order> orders;

    public OrderReadModel(ReactiveRedisDataSource redis, ObjectMapper json, ReadModelConfig config) {
        this.orders = new VersionedHashes<>(redis, json, config, "corebank:order:", Order.class, Order::id, Order::version,
                order -> order.isFinal() ? FINAL_TTL : OPEN_TTL);
    }

    /** The order as Redis has it; empty if it has none (or Redis does not answer: the caller reads PostgreSQL). */
    public Uni<Optional<Order>> get(UUID orderId) {
        return orders.get(orderId)
                .onFailure().invoke(e -> LOG.debugf("order read model unavailable (%s); reading PostgreSQL", e.getMessage()))
                .onFailure().recoverWithItem(Optional.empty());
    }

    /** Stores {@code order} unless Redis holds this version or a newer one. Never fails: Redis is only a cache. */
    public Uni<Void> put(Order order) {
        return putAll(List.of(order));
    }

    /**
     * Stores each of {@code written} that is newer than Redis's copy, each write on its own. Never fails: Redis
     * is only a cache.
     */
    public Uni<Void> putAll(List<Order> written) {
        if (written.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return orders.putEach(written,
                        (order, e) -> LOG.debugf("could not cache order %s (%s)", order.id(), e.getMessage()))
                .replaceWithVoid();
    }
}
