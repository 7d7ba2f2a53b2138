package dev.corebank.messages.order;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * How each order ended, on {@code order.events}, keyed by the order id. Published once per order, in the
 * transaction that makes it CONFIRMED or CANCELLED.
 */
public sealed interface OrderEvent {

    /** The CloudEvents type of each event (its simple name) mapped to its record class. */
    Map<String, Class<? extends OrderEvent>> TYPES = Stream.of(OrderEvent.class.getPermittedSubclasses())
            .map(type -> type.asSubclass(OrderEvent.class))
            .collect(Collectors.toUnmodifiableMap(Class::getSimpleName, Function.identity()));

    UUID orderId();

    /** One line of an order: {@code quantity} units of {@code sku} at {@code price} minor units each. */
    record Line(String sku, int quantity, long price) {
    }

    /** Stock taken and the customer's money captured to the merchant's account. */
    record OrderConfirmed(UUID orderId, UUID customerAccountId, UUID merchantAccountId, long total, String currency,
            List<Line> items, Instant placedAt, Instant confirmedAt) implements OrderEvent {
    }

    /** Nothing taken: the stock is back on the shelf and the hold, if one was placed, released. */
    record OrderCancelled(UUID orderId, UUID customerAccountId, long total, String currency, String reason,
            Instant placedAt, Instant cancelledAt) implements OrderEvent {
    }
}
