package dev.corebank.order.product;

import java.time.Instant;
import java.util.UUID;

/**
 * A product on sale: {@code stock} units on the shelf, {@code reserved} of them promised to orders whose saga
 * is running. Prices are minor units of {@code currency}; the money goes to {@code merchantAccountId}.
 */
public record Product(UUID id, String sku, String name, long price, String currency, int stock, int reserved,
        UUID merchantAccountId, long version, Instant createdAt) {

    /** Units a new order may still reserve. */
    public int available() {
        return stock - reserved;
    }
}
