package dev.corebank.chaos;

/** One invariant after one scenario: whether it held, and what was seen either way. */
record Check(String name, boolean ok, String detail) {

    static Check of(String name, boolean ok, String detail) {
        return new Check(name, ok, detail);
    }
}
