package dev.corebank.order.saga;

/** What a transition does to an order's units on the shelf. */
public enum StockMove {
    NONE,
    /** Add the units to {@code reserved}: promised to the order, still counted in {@code stock}. */
    RESERVE,
    /** Confirm: the reserved units leave {@code stock} for good. */
    TAKE,
    /** Compensate a reservation: the units are no longer promised. */
    RELEASE_RESERVED,
    /** Compensate a confirmation: the taken units go back into {@code stock}. */
    RETURN_TAKEN
}
