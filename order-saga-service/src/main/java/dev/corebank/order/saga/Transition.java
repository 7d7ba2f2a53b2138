package dev.corebank.order.saga;

import dev.corebank.messages.ledger.LedgerCommand;
import dev.corebank.messages.order.OrderEvent;
import dev.corebank.order.orders.Order;
import java.util.List;
import java.util.Optional;

/**
 * A saga's step: the order's next state and what must commit with it, in one transaction: the stock move,
 * the ledger commands to send and the event to publish (both through the outbox).
 */
public record Transition(Order order, StockMove stock, List<LedgerCommand> commands, Optional<OrderEvent> event) {

    public Transition {
        commands = List.copyOf(commands);
    }

    static Transition of(Order order, StockMove stock, LedgerCommand command) {
        return new Transition(order, stock, List.of(command), Optional.empty());
    }

    static Transition of(Order order, StockMove stock, OrderEvent event) {
        return new Transition(order, stock, List.of(), Optional.of(event));
    }
}
