package dev.corebank.order.saga;

import dev.corebank.messages.ledger.LedgerEvent;
import dev.corebank.messages.order.OrderEvent;
import dev.corebank.order.config.OrderConfig;
import dev.corebank.order.orders.Order;
import dev.corebank.order.orders.OrderLine;
import dev.corebank.order.orders.OrderNotFound;
import dev.corebank.order.orders.OrderRepository;
import dev.corebank.order.orders.OrderStatus;
import dev.corebank.order.orders.OrderWaiters;
import dev.corebank.order.product.Product;
import dev.corebank.order.product.ProductRepository;
import dev.corebank.order.readmodel.OrderReadModel;
import dev.corebank.platform.id.UuidV7;
import dev.corebank.platform.outbox.Outbox;
import dev.corebank.platform.outbox.OutboxEvent;
import dev.corebank.platform.tx.Transactions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Runs {@link OrderSaga} against the database: each step's new order state, its stock move, and its commands
 * and events (through the outbox) commit in one transaction, under the locks of the orders and products it
 * touches. Orders are locked before products, each kind in ascending id order, in every transaction here.
 */
@Singleton
public class SagaService {

    private static final String NOTIFY = "SELECT pg_notify($1, id) FROM unnest($2::text[]) AS id";

    private final Pool pool;
    private final OrderRepository orders;
    private final ProductRepository products;
    private final Outbox outbox;
    private final OrderSaga saga;
    private final OrderReadModel readModel;
    private final OrderWaiters waiters;
    private final OrderConfig.Topics topics;
    private final MeterRegistry registry;
    private final Timer completion;

    public SagaService(Pool pool, OrderRepository orders, ProductRepository products, Outbox outbox,
            OrderReadModel readModel, OrderWaiters waiters, OrderConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.orders = orders;
        this.products = products;
        this.outbox = outbox;
        this.saga = new OrderSaga(SagaSettings.of(config.saga()), UuidV7::next);
        this.readModel = readModel;
        this.waiters = waiters;
        this.topics = config.topics();
        this.registry = registry;
        this.completion = Timer.builder("orders.completion")
                .description("From an order's acceptance to its CONFIRMED")
                .publishPercentileHistogram()
                .register(registry);
    }

    /**
     * Starts the sagas of {@code drafts} in the caller's transaction: locks their products, reserves the
     * stock of each order that fits (in the drafts' order, so earlier requests are served first), cancels
     * those that do not, and writes the orders with their first commands. Returns the orders as placed.
     */
    public Uni<List<Order>> start(SqlConnection tx, List<OrderSaga.Draft> drafts) {
        if (drafts.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Set<UUID> productIds = drafts.stream()
                .flatMap(draft -> draft.items().stream())
                .map(OrderLine::productId)
                .collect(Collectors.toCollection(TreeSet::new));
        return products.lock(tx, productIds)
                .chain(locked -> {
                    Changes changes = new Changes();
                    Map<UUID, Integer> available = new HashMap<>();
                    locked.values().forEach(product -> available.put(product.id(), product.available()));
                    Instant now = Instant.now();
                    for (OrderSaga.Draft draft : drafts) {
                        Optional<String> shortage = shortage(draft, available, locked);
                        if (shortage.isEmpty()) {
                            draft.items().forEach(line -> available.merge(line.productId(), -line.quantity(), Integer::sum));
                        }
                        changes.place(saga.place(draft, shortage, now));
                    }
                    return write(tx, changes, true).replaceWith(changes.placed());
                });
    }

    /** Applies a poll's worth of the ledger's answers in one transaction; returns how many orders moved on. */
    public Uni<Integer> onReplies(List<LedgerEvent> replies) {
        Map<UUID, List<LedgerEvent>> byHold = new HashMap<>();
        replies.forEach(reply -> byHold.computeIfAbsent(holdOf(reply), id -> new ArrayList<>()).add(reply));
        return run(tx -> orders.lockByHolds(tx, byHold.keySet())
                .map(found -> {
                    Changes changes = new Changes();
                    Instant now = Instant.now();
                    for (Order read : found) {
                        for (LedgerEvent reply : byHold.get(read.holdId())) {
                            saga.onReply(changes.latest(read), reply, now).ifPresent(next -> changes.add(read, next));
                        }
                    }
                    return changes;
                }));
    }

    /** Moves on up to {@code limit} orders whose step is overdue; returns how many. */
    public Uni<Integer> sweep(int limit) {
        return run(tx -> orders.lockDue(tx, Instant.now(), limit)
                .map(due -> {
                    Changes changes = new Changes();
                    Instant now = Instant.now();
                    due.forEach(order -> changes.add(order, saga.onDeadline(order, now)));
                    return changes;
                }));
    }

    /** An operator's retry of a FAILED order; the order as it is now. */
    public Uni<Order> retry(UUID orderId) {
        return run(tx -> orders.lock(tx, orderId)
                .map(found -> {
                    Order order = found.orElseThrow(() -> new OrderNotFound(orderId));
                    if (order.status() != OrderStatus.FAILED) {
                        throw new NotRetryable(order);
                    }
                    Changes changes = new Changes();
                    changes.add(order, saga.retry(order, Instant.now()));
                    return changes;
                }))
                .chain(() -> orders.find(pool, orderId))
                .map(Optional::orElseThrow);
    }

    /**
     * After the transaction that wrote {@code written} committed: this replica's waiting requests learn of it
     * (other replicas' got the NOTIFY sent in the transaction), and the read model is updated. The saga does
     * not wait for Redis: with Redis slow or away, orders still move at the database's pace, and reads fall
     * through to PostgreSQL (see OrderReadModel).
     */
    public void published(List<Order> written) {
        written.stream().filter(Order::isFinal).forEach(order -> waiters.finished(order.id()));
        readModel.putAll(written).subscribe().with(ignored -> { }, failure -> { });
    }

    private Uni<Integer> run(Function<SqlConnection, Uni<Changes>> decide) {
        return Transactions.pipelined(pool, tx -> decide.apply(tx).call(changes -> write(tx, changes, false)))
                .invoke(changes -> published(changes.written()))
                .invoke(this::measure)
                .map(changes -> changes.transitions().size());
    }

    /** Writes {@code changes}; {@code productsLocked} when the transaction already holds its products' locks. */
    private Uni<Void> write(SqlConnection tx, Changes changes, boolean productsLocked) {
        if (changes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Map<UUID, ?> stock = changes.stock();
        List<Uni<?>> statements = new ArrayList<>();
        if (!stock.isEmpty()) {
            if (!productsLocked) {
                // Locked first (ascending ids), then moved: issued together, they run in this order.
                statements.add(products.lock(tx, new TreeSet<>(stock.keySet())));
            }
            statements.add(products.move(tx, changes.stock()));
        }
        statements.add(orders.insert(tx, changes.placed()));
        statements.add(orders.update(tx, changes.before(), changes.after()));
        String[] finished = changes.written().stream()
                .filter(Order::isFinal)
                .map(order -> order.id().toString())
                .toArray(String[]::new);
        if (finished.length > 0) {
            statements.add(tx.preparedQuery(NOTIFY).execute(Tuple.of(OrderWaiters.CHANNEL, finished)));
        }
        // The outbox append last: it holds its lane locks until commit (see Outbox).
        statements.add(outbox.append(tx, outboxEvents(changes)));
        return Uni.combine().all().unis(statements).discardItems();
    }

    private List<OutboxEvent> outboxEvents(Changes changes) {
        List<OutboxEvent> events = new ArrayList<>();
        // Keyed by the customer's account: an order's PlaceHold, CaptureHold and VoidHold reach the ledger in
        // the order they were sent, so a void never overtakes the hold it releases.
        changes.commands().forEach(sent -> events.add(OutboxEvent.of(UuidV7.next(), topics.ledgerCommands(), "Account",
                sent.accountId().toString(), (Record) sent.command())));
        changes.events().forEach(event -> events.add(OutboxEvent.of(UuidV7.next(), topics.orderEvents(), "Order",
                event.orderId().toString(), (Record) event)));
        return events;
    }

    private void measure(Changes changes) {
        // Every saga-log entry is counted by step and outcome: re-sends (RESENT), give-ups (TIMED_OUT), and the
        // orders that went FAILED for operators (VOID_HOLD FAILED).
        changes.entries().forEach(entry -> registry.counter("orders.saga.steps", "step", entry.name(),
                "status", entry.status()).increment());
        for (Transition transition : changes.transitions()) {
            Order order = transition.order();
            if (order.isFinal()) {
                registry.counter("orders.finished", "status", order.status().name()).increment();
            }
            if (transition.event().orElse(null) instanceof OrderEvent.OrderConfirmed confirmed) {
                completion.record(Duration.between(confirmed.placedAt(), confirmed.confirmedAt()));
            }
        }
    }

    private static Optional<String> shortage(OrderSaga.Draft draft, Map<UUID, Integer> available,
            Map<UUID, Product> locked) {
        for (OrderLine line : draft.items()) {
            int left = available.getOrDefault(line.productId(), 0);
            if (left < line.quantity()) {
                return Optional.of(line.sku() + ": " + line.quantity() + " asked, " + Math.max(left, 0) + " available");
            }
        }
        return Optional.empty();
    }

    private static UUID holdOf(LedgerEvent reply) {
        if (reply instanceof LedgerEvent.HoldPlaced placed) {
            return placed.holdId();
        } else if (reply instanceof LedgerEvent.HoldRejected rejected) {
            return rejected.holdId();
        } else if (reply instanceof LedgerEvent.HoldCaptured captured) {
            return captured.holdId();
        } else if (reply instanceof LedgerEvent.HoldVoided voided) {
            return voided.holdId();
        } else if (reply instanceof LedgerEvent.HoldExpired expired) {
            return expired.holdId();
        }
        throw new IllegalArgumentException("not a hold event: " + reply);
    }
}
