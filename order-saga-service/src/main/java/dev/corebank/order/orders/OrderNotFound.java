package dev.corebank.order.orders;

import java.util.UUID;

/** No order has this id. */
public class OrderNotFound extends RuntimeException {

    public OrderNotFound(UUID id) {
        super("no order has id " + id, null, false, false);
    }
}
