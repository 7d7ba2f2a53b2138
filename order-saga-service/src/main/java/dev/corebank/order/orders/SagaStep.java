package dev.corebank.order.orders;

/** What an order's saga waits for. */
public enum SagaStep {
    /** PlaceHold sent: the ledger's answer on the customer's money. */
    AUTHORIZING,
    /** Stock confirmed and CaptureHold sent: the money moving to the merchant. */
    CAPTURING,
    /** VoidHold sent: the hold's release, after which the stock goes back. */
    COMPENSATING,
    /** Nothing: the order is CONFIRMED or CANCELLED. */
    DONE
}
