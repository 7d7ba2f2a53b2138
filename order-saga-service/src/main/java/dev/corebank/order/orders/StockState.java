package dev.corebank.order.orders;

/** Where an order's units are. */
public enum StockState {
    /** Counted in {@code products.reserved}: still on the shelf, promised to this order. */
    RESERVED,
    /** Taken off {@code products.stock}: sold, unless the order is cancelled after all. */
    TAKEN,
    /** Back to everyone (or never reserved). */
    RELEASED
}
