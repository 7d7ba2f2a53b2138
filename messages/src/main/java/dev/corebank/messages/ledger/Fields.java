package dev.corebank.messages.ledger;

/** Checks the ledger's message records make as they are built, on either side of the topic. */
final class Fields {

    private Fields() {
    }

    /** Messages arrive from other services: one without a field it needs is malformed, not a rejection. */
    static void required(Object value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
    }
}
