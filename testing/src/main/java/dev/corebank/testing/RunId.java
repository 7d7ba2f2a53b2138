package dev.corebank.testing;

import java.util.concurrent.ThreadLocalRandom;

/** A name for this test run, unique on the machine: suffix of the run's topics and consumer groups. */
public final class RunId {

    public static final String VALUE = Long.toString(System.currentTimeMillis(), 36)
            + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 16, 1 << 20), 36);

    private RunId() {
    }
}
