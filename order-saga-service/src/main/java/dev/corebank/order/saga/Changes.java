package dev.corebank.order.saga;

import dev.corebank.messages.ledger.LedgerCommand;
import dev.corebank.messages.order.OrderEvent;
import dev.corebank.order.orders.Order;
import dev.corebank.order.orders.OrderLine;
import dev.corebank.order.orders.SagaLogEntry;
import dev.corebank.order.product.StockDelta;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What one transaction of the saga writes: the orders it placed or moved on (several steps of one order
 * fold into its last state), the stock moves summed per product, and the commands and events for the outbox.
 */
final class Changes {

    /** A command and the customer account it is about (the outbox key that keeps an order's commands in order). */
    record Command(UUID accountId, LedgerCommand command) {
    }

    private final Map<UUID, Order> placed = new LinkedHashMap<>();
    private final Map<UUID, Order> before = new LinkedHashMap<>();
    private final Map<UUID, Order> after = new LinkedHashMap<>();
    private final Map<UUID, StockDelta> stock = new HashMap<>();
    private final List<Command> commands = new ArrayList<>();
    private final List<OrderEvent> events = new ArrayList<>();
    private final List<Transition> transitions = new ArrayList<>();
    private final List<SagaLogEntry> entries = new ArrayList<>();

    /** A new order's first transition. */
    void place(Transition transition) {
        placed.put(transition.order().id(), transition.order());
        entries.addAll(transition.order().log());
        collect(transition);
    }

    /** A transition of an order read (and locked) as {@code current}. */
    void add(Order current, Transition transition) {
        before.putIfAbsent(current.id(), current);
        List<SagaLogEntry> log = transition.order().log();
        entries.addAll(log.subList(latest(current).log().size(), log.size()));
        after.put(current.id(), transition.order());
        collect(transition);
    }

    /** The order as this transaction leaves it so far, or {@code read} if it has not moved it yet. */
    Order latest(Order read) {
        return after.getOrDefault(read.id(), read);
    }

    boolean isEmpty() {
        return transitions.isEmpty();
    }

    List<Order> placed() {
        return List.copyOf(placed.values());
    }

    List<Order> before() {
        return List.copyOf(before.values());
    }

    List<Order> after() {
        return List.copyOf(after.values());
    }

    /** Every order this transaction writes, in its final state. */
    List<Order> written() {
        List<Order> all = new ArrayList<>(placed.values());
        after.values().forEach(order -> all.add(atNextVersion(order)));
        return all;
    }

    /** The saga-log entries this transaction adds. */
    List<SagaLogEntry> entries() {
        return List.copyOf(entries);
    }

    Map<UUID, StockDelta> stock() {
        return Map.copyOf(stock);
    }

    List<Command> commands() {
        return List.copyOf(commands);
    }

    List<OrderEvent> events() {
        return List.copyOf(events);
    }

    List<Transition> transitions() {
        return List.copyOf(transitions);
    }

    /** Several steps of one order in one transaction write it once, so its version goes up by one. */
    private Order atNextVersion(Order order) {
        Order read = before.get(order.id());
        long version = read.version() + 1;
        if (order.version() == version) {
            return order;
        }
        return new Order(order.id(), order.customerAccountId(), order.merchantAccountId(), order.total(),
                order.currency(), order.status(), order.reason(), order.step(), order.stock(), order.holdId(),
                order.placeCommandId(), order.captureCommandId(), order.voidCommandId(), order.attempts(),
                order.deadlineAt(), order.items(), order.log(), version, order.createdAt(), order.updatedAt());
    }

    private void collect(Transition transition) {
        transitions.add(transition);
        Order order = transition.order();
        for (OrderLine line : order.items()) {
            StockDelta delta = deltaOf(transition.stock(), line.quantity());
            if (!delta.equals(StockDelta.NONE)) {
                stock.merge(line.productId(), delta, StockDelta::plus);
            }
        }
        transition.commands().forEach(command -> commands.add(new Command(order.customerAccountId(), command)));
        transition.event().ifPresent(events::add);
    }

    static StockDelta deltaOf(StockMove move, int quantity) {
        return switch (move) {
            case NONE -> StockDelta.NONE;
            case RESERVE -> new StockDelta(0, quantity);
            case TAKE -> new StockDelta(-quantity, -quantity);
            case RELEASE_RESERVED -> new StockDelta(0, -quantity);
            case RETURN_TAKEN -> new StockDelta(quantity, 0);
        };
    }
}
