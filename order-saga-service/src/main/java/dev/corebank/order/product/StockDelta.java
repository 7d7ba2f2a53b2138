package dev.corebank.order.product;

/** A change to one product's {@code stock} and {@code reserved} counts, summed over a transaction's orders. */
public record StockDelta(int stock, int reserved) {

    public static final StockDelta NONE = new StockDelta(0, 0);

    public StockDelta plus(StockDelta other) {
        return new StockDelta(stock + other.stock, reserved + other.reserved);
    }
}
