package dev.corebank.order.saga;

import dev.corebank.order.orders.Order;

/** Only a FAILED saga can be retried by an operator; a running or finished one carries on by itself. */
public class NotRetryable extends RuntimeException {

    public NotRetryable(Order order) {
        super("order " + order.id() + " is " + order.status() + "; only FAILED sagas can be retried", null, false, false);
    }
}
