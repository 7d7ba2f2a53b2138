package dev.corebank.order.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.corebank.order.orders.Order;
import dev.corebank.order.orders.SagaLogEntry;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An order as the API shows it: its status, what it costs, what it buys, and its saga's log as {@code steps}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrderView(UUID id, String status, String reason, long total, String currency, UUID customerAccountId,
        UUID merchantAccountId, List<Item> items, List<SagaLogEntry> steps, long version, Instant createdAt,
        Instant updatedAt) {

    public record Item(String sku, int quantity, long price) {
    }

    static OrderView of(Order order) {
        return new OrderView(order.id(), order.status().name(), order.reason(), order.total(), order.currency(),
                order.customerAccountId(), order.merchantAccountId(),
                order.items().stream().map(line -> new Item(line.sku(), line.quantity(), line.price())).toList(),
                order.log(), order.version(), order.createdAt(), order.updatedAt());
    }
}
