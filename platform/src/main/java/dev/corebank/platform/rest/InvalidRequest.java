package dev.corebank.platform.rest;

/** A request that is malformed in a way bean validation does not express; answered with 400. */
public class InvalidRequest extends RuntimeException {

    private final String field;

    public InvalidRequest(String field, String detail) {
        super(detail, null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
