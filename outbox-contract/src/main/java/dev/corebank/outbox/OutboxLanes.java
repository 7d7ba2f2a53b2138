package dev.corebank.outbox;

/**
 * The contract between appenders and the relay that keeps events of one aggregate in commit order.
 *
 * <p>Every aggregate hashes to one of {@link #COUNT} lanes. An appender holds the lane's transaction-level
 * advisory lock ({@link #APPEND_LOCK}) from its insert until commit, so sequence order within a lane is
 * commit order. A relay instance publishes a lane only while it holds the lane's session-level advisory
 * lock ({@link #OWNER_LOCK}), so one instance at a time publishes a lane, in sequence order.
 */
public final class OutboxLanes {

    /** Number of lanes; the outbox migration seeds one cursor row per lane and checks the range. */
    public static final int COUNT = 32;

    /** First key of {@code pg_advisory_xact_lock(int, int)} taken by appenders; the second is the lane. */
    public static final int APPEND_LOCK = 0x0B0C_0001;

    /** First key of {@code pg_try_advisory_lock(int, int)} held by the relay instance owning a lane. */
    public static final int OWNER_LOCK = 0x0B0C_0002;

    /** The {@code LISTEN} channel the outbox trigger notifies, with the lane as payload. */
    public static final String CHANNEL = "outbox";

    private OutboxLanes() {
    }

    /** The lane of an aggregate: stable across JVMs and releases ({@link String#hashCode()} is specified). */
    public static int laneOf(String aggregateId) {
        return Math.floorMod(aggregateId.hashCode(), COUNT);
    }
}
