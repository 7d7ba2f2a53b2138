package dev.corebank.order.orders;

/** A well-formed order that cannot be placed as asked: unknown products, mixed merchants or currencies, too large. */
public class OrderRejected extends RuntimeException {

    private final String field;

    public OrderRejected(String field, String detail) {
        super(detail, null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
