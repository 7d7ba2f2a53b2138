package dev.corebank.order.orders;

/** An order as its customer sees it. */
public enum OrderStatus {
    /** The saga is running. */
    PENDING,
    /** Stock taken and the money captured to the merchant. */
    CONFIRMED,
    /** Nothing taken: stock back on the shelf, the hold (if any) released. */
    CANCELLED,
    /** A compensation got no answer within its bound; listed for operators, who can retry it. */
    FAILED;

    public boolean isFinal() {
        return this == CONFIRMED || this == CANCELLED;
    }
}
