package dev.corebank.order.rest;

import dev.corebank.order.product.Product;
import java.time.Instant;
import java.util.UUID;

/** A product as the API shows it: units on the shelf, reserved by running orders, and still available. */
public record ProductView(UUID id, String sku, String name, long price, String currency, int stock, int reserved,
        int available, UUID merchantAccountId, long version, Instant createdAt) {

    static ProductView of(Product product) {
        return new ProductView(product.id(), product.sku(), product.name(), product.price(), product.currency(),
                product.stock(), product.reserved(), product.available(), product.merchantAccountId(),
                product.version(), product.createdAt());
    }
}
