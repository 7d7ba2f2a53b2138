package dev.corebank.order.product;

/** A restock that would put more units on the shelf than one product may have. */
public class StockLimit extends RuntimeException {

    public StockLimit(String sku, long max) {
        super("product '" + sku + "' may have at most " + max + " units in stock", null, false, false);
    }
}
