package dev.corebank.order.saga;

import dev.corebank.order.config.OrderConfig;
import dev.corebank.order.orders.NewOrder;
import dev.corebank.order.orders.Order;
import dev.corebank.order.orders.OrderLine;
import dev.corebank.order.orders.OrderNotFound;
import dev.corebank.order.orders.OrderRejected;
import dev.corebank.order.orders.OrderRepository;
import dev.corebank.order.orders.OrderRequest;
import dev.corebank.order.orders.OrderRequestRepository;
import dev.corebank.order.orders.OrderStatus;
import dev.corebank.order.orders.OrderWaiters;
import dev.corebank.order.product.Product;
import dev.corebank.order.product.ProductRepository;
import dev.corebank.order.readmodel.OrderReadModel;
import dev.corebank.platform.batch.GroupCommit;
import dev.corebank.platform.id.UuidV7;
import dev.corebank.platform.idempotency.IdempotencyKeyReused;
import dev.corebank.platform.idempotency.RequestInFlight;
import dev.corebank.platform.tx.Transactions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Orders: accepted under an Idempotency-Key (the key, the order, its stock reservation and its first ledger
 * command commit together, many concurrent requests to a transaction), and read from Redis or PostgreSQL.
 */
@Singleton
public class OrderService {

    /** How long past its wait an in-flight request may take to answer before retries stop getting 409. */
    private static final Duration IN_FLIGHT_GRACE = Duration.ofSeconds(10);

    private static final String RELEASE_KEY = """
            UPDATE order_requests SET in_flight_until = NULL WHERE client_id = $1 AND key = $2""";

    private final Pool pool;
    private final OrderRepository orders;
    private final OrderRequestRepository requests;
    private final ProductRepository products;
    private final SagaService sagas;
    private final OrderWaiters waiters;
    private final OrderReadModel readModel;
    private final OrderConfig config;
    private final Counter accepted;
    private final Counter replayed;
    private final GroupCommit<Acceptance, Optional<Order>> acceptances;

    public OrderService(Pool pool, OrderRepository orders, OrderRequestRepository requests, ProductRepository products,
            SagaService sagas, OrderWaiters waiters, OrderReadModel readModel, OrderConfig config,
            MeterRegistry registry) {
        this.pool = pool;
        this.orders = orders;
        this.requests = requests;
        this.products = products;
        this.sagas = sagas;
        this.waiters = waiters;
        this.readModel = readModel;
        this.config = config;
        this.accepted = Counter.builder("orders.accepted").description("Orders accepted (new keys)").register(registry);
        this.replayed = Counter.builder("orders.replayed")
                .description("Requests answered with the order an earlier request with the same key made")
                .register(registry);
        this.acceptances = new GroupCommit<>("order-accepts", config.batching().maxSize(),
                config.batching().maxInFlight(), config.batching().maxQueued(), registry, this::acceptAll);
    }

    /** The order a POST answers with, and whether an earlier request with the same key made it. */
    public record Answer(Order order, boolean replayed) {
    }

    /**
     * Accepts {@code request} under {@code (clientId, key)}; with a {@code wait} above zero, answers once the
     * order is CONFIRMED or CANCELLED or the wait is over. A key seen before answers with its order as it is now.
     */
    public Uni<Answer> accept(String clientId, String key, NewOrder request, Duration wait) {
        byte[] fingerprint = request.fingerprint();
        return price(request).chain(draft -> {
            boolean waits = !wait.isZero();
            if (waits) {
                waiters.expect(draft.id());
            }
            OrderRequest claim = new OrderRequest(clientId, key, fingerprint, draft.id(),
                    waits ? Instant.now().plus(wait).plus(IN_FLIGHT_GRACE) : null);
            return acceptances.submit(new Acceptance(claim, draft))
                    .onTermination().invoke((placed, failure, cancelled) -> {
                        if (failure != null || cancelled || placed.isEmpty()) {
                            waiters.forget(draft.id());
                        }
                    })
                    .chain(placed -> placed.isPresent()
                            ? answerNew(claim, placed.get(), wait)
                            : holderOf(claim).chain(holder -> replay(holder, claim)));
        });
    }

    /** An order as read, and whether it came from the Redis read model or from PostgreSQL. */
    public record Read(Order order, boolean cached) {
    }

    /** The order, from Redis unless its copy there is older than {@code minVersion} or missing. */
    public Uni<Read> find(UUID id, long minVersion) {
        return readModel.get(id)
                .chain(cached -> cached.isPresent() && cached.get().version() >= minVersion
                        ? Uni.createFrom().item(new Read(cached.get(), true))
                        : fromDatabase(id).map(order -> new Read(order, false)));
    }

    /** Orders in {@code statuses} unchanged for at least {@code stuckFor}, longest first. */
    public Uni<List<Order>> unfinished(List<OrderStatus> statuses, Duration stuckFor, int limit) {
        return orders.unfinished(pool, statuses, Instant.now().minus(stuckFor), limit);
    }

    private Uni<Order> fromDatabase(UUID id) {
        return orders.find(pool, id)
                .map(found -> found.orElseThrow(() -> new OrderNotFound(id)))
                .call(readModel::put);
    }

    /** A request and the order it makes if its key is free. */
    private record Acceptance(OrderRequest claim, OrderSaga.Draft draft) {
    }

    /** One transaction for a batch of requests: each key claimed, and each claim that holds starts its saga. */
    private Uni<List<Optional<Order>>> acceptAll(List<Acceptance> batch) {
        return Transactions.pipelined(pool, tx -> requests.claim(tx, batch.stream().map(Acceptance::claim).toList())
                        .chain(claimed -> sagas.start(tx, batch.stream()
                                .map(Acceptance::draft)
                                .filter(draft -> claimed.contains(draft.id()))
                                .toList())))
                .invoke(sagas::published)
                .invoke(placed -> accepted.increment(placed.size()))
                .map(placed -> batch.stream()
                        .map(acceptance -> placed.stream()
                                .filter(order -> order.id().equals(acceptance.draft().id()))
                                .findFirst())
                        .toList());
    }

    /** Prices the request against the catalogue: every SKU known, one merchant, one currency, a total in range. */
    private Uni<OrderSaga.Draft> price(NewOrder request) {
        List<String> skus = request.items().stream().map(NewOrder.Item::sku).toList();
        return products.find(pool, skus).map(catalogue -> draft(request, catalogue));
    }

    private OrderSaga.Draft draft(NewOrder request, Map<String, Product> catalogue) {
        List<String> unknown = request.items().stream()
                .map(NewOrder.Item::sku)
                .filter(sku -> !catalogue.containsKey(sku))
                .toList();
        if (!unknown.isEmpty()) {
            throw new OrderRejected("items", "unknown SKU(s): " + String.join(", ", unknown));
        }
        List<OrderLine> lines = new ArrayList<>();
        Product first = catalogue.get(request.items().get(0).sku());
        long total = 0;
        for (NewOrder.Item item : request.items()) {
            Product product = catalogue.get(item.sku());
            if (!product.merchantAccountId().equals(first.merchantAccountId())) {
                throw new OrderRejected("items", "an order buys from one merchant: " + item.sku() + " is sold by another than "
                        + first.sku());
            }
            if (!product.currency().equals(first.currency())) {
                throw new OrderRejected("items", "an order is in one currency: " + item.sku() + " is priced in "
                        + product.currency() + ", " + first.sku() + " in " + first.currency());
            }
            try {
                total = Math.addExact(total, Math.multiplyExact(product.price(), (long) item.quantity()));
            } catch (ArithmeticException e) {
                total = Long.MAX_VALUE;
            }
            lines.add(new OrderLine(product.id(), product.sku(), item.quantity(), product.price()));
        }
        if (total > config.maxTotal()) {
            throw new OrderRejected("items", "the order's total would be over " + config.maxTotal() + " minor units");
        }
        return new OrderSaga.Draft(UuidV7.next(), request.customerAccountId(), first.merchantAccountId(), total,
                first.currency(), lines);
    }

    private Uni<Answer> answerNew(OrderRequest claim, Order placed, Duration wait) {
        if (wait.isZero() || placed.isFinal()) {
            waiters.forget(placed.id());
            return Uni.createFrom().item(new Answer(placed, false));
        }
        return waiters.await(placed.id(), wait)
                .chain(() -> orders.find(pool, placed.id()))
                .map(found -> found.orElse(placed))
                .call(order -> order.isFinal() ? Uni.createFrom().voidItem() : release(claim))
                .map(order -> new Answer(order, false));
    }

    /** The wait is over without an outcome: retries may now have the (pending) order without a 409. */
    private Uni<Void> release(OrderRequest claim) {
        return pool.preparedQuery(RELEASE_KEY).execute(Tuple.of(claim.clientId(), claim.key())).replaceWithVoid();
    }

    private Uni<OrderRequest> holderOf(OrderRequest claim) {
        return requests.find(pool, claim.clientId(), claim.key())
                .map(found -> found.orElseThrow(() -> new IllegalStateException(
                        "Idempotency-Key " + claim.key() + " conflicted but is gone")));
    }

    private Uni<Answer> replay(OrderRequest holder, OrderRequest claim) {
        if (!holder.sameRequest(claim.fingerprint())) {
            return Uni.createFrom().failure(new IdempotencyKeyReused(holder.key()));
        }
        // Our own order when a batch that failed as it committed had in fact committed, and runs again alone.
        boolean ours = holder.orderId().equals(claim.orderId());
        return orders.find(pool, holder.orderId())
                .map(found -> found.orElseThrow(() -> new IllegalStateException(
                        "Idempotency-Key " + holder.key() + " names a missing order " + holder.orderId())))
                .map(order -> {
                    if (!ours && !order.isFinal() && holder.inFlight(Instant.now())) {
                        throw new RequestInFlight(holder.key());
                    }
                    if (!ours) {
                        replayed.increment();
                    }
                    return new Answer(order, !ours);
                });
    }

    /** Keys of requests older than the retention, a bounded batch at a time. */
    public Uni<Integer> purgeKeys(int batch) {
        return requests.purge(pool, Instant.now().minus(config.idempotency().retention()), batch);
    }
}
