package dev.corebank.relay.lane;

import dev.corebank.platform.outbox.OutboxLanes;

/**
 * One lane of one source as this relay instance sees it. Touched only on its source's event-loop context,
 * so it needs no locking; the status endpoint reads the volatile fields.
 *
 * <p>A lane drains one batch after another, never two at once: a wake-up while draining only asks for one
 * more round, which is how a burst of notifications collapses into as few queries as possible.
 */
public final class Lane {

    enum State { IDLE, DRAINING, DRAINING_AGAIN }

    private final int id;
    private State state = State.IDLE;
    private volatile boolean owned;
    private volatile long cursor;
    private boolean releaseWanted;

    public Lane(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    public boolean owned() {
        return owned;
    }

    public long cursor() {
        return cursor;
    }

    /** This instance now holds the lane's owner lock; publishing resumes after {@code cursor}. */
    public void own(long cursor) {
        this.cursor = cursor;
        this.owned = true;
        this.releaseWanted = false;
    }

    /** The owner lock is gone (released, or its connection died): stop after the batch in flight. */
    public void disown() {
        owned = false;
        releaseWanted = false;
    }

    /** Give the lane back once the batch in flight, if any, is done. */
    public void wantRelease() {
        releaseWanted = true;
    }

    public boolean releaseWanted() {
        return releaseWanted;
    }

    public boolean idle() {
        return state == State.IDLE;
    }

    /** Rows up to {@code seq} are on the broker. */
    public void advanced(long seq) {
        cursor = Math.max(cursor, seq);
    }

    /** New rows may be waiting. True if the caller must start draining now. */
    public boolean wake() {
        if (!owned || releaseWanted) {
            return false;
        }
        switch (state) {
            case IDLE -> {
                state = State.DRAINING;
                return true;
            }
            case DRAINING -> state = State.DRAINING_AGAIN;
            case DRAINING_AGAIN -> {
                // one more round is already asked for
            }
        }
        return false;
    }

    /** A round ended. True if the caller must drain another round (more rows, or woken meanwhile). */
    public boolean roundDone(boolean batchWasFull) {
        boolean again = owned && !releaseWanted && (batchWasFull || state == State.DRAINING_AGAIN);
        state = again ? State.DRAINING : State.IDLE;
        return again;
    }

    /** A round failed: stop until the next poll or notification. */
    public void roundFailed() {
        state = State.IDLE;
    }

    /** The lanes one of {@code instances} relay instances should hold: an even split, rounded up. */
    public static int fairShare(int instances) {
        int peers = Math.max(1, instances);
        return (OutboxLanes.COUNT + peers - 1) / peers;
    }
}
