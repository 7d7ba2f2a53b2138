package dev.corebank.order.orders;

import java.util.UUID;

/** {@code quantity} units of a product at the {@code price} (minor units) it had when the order was placed. */
public record OrderLine(UUID productId, String sku, int quantity, long price) {
}
