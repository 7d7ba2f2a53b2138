package dev.corebank.relay.lane;

import dev.corebank.outbox.OutboxLanes;

/**
 * One lane of one source as this relay instance sees it: whether it holds the lane's owner lock, the last
 * sequence it knows to be on the broker, the last one written back to the source, and whether rows may be
 * waiting. Changed only on its source's event-loop context; the status endpoint reads the volatile fields.
 */
public final class Lane {

    private final int id;
    private volatile boolean owned;
    private volatile long cursor;
    private long saved;
    private boolean releaseWanted;
    private boolean pending;

    public Lane(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    public boolean owned() {
        return owned;
    }

    /** Owned and not being given back: its rows go into the next round. */
    public boolean publishing() {
        return owned && !releaseWanted;
    }

    public long cursor() {
        return cursor;
    }

    /** This instance now holds the lane's owner lock; publishing resumes after {@code cursor}. */
    public void own(long cursor) {
        this.cursor = cursor;
        this.saved = cursor;
        this.owned = true;
        this.releaseWanted = false;
        this.pending = true;
    }

    /** The owner lock is gone (released, or its connection died). */
    public void disown() {
        owned = false;
        releaseWanted = false;
    }

    /** Give the lane back once the round in flight, if any, is done. */
    public void wantRelease() {
        releaseWanted = true;
    }

    public boolean releaseWanted() {
        return releaseWanted;
    }

    /** Rows may be waiting after the cursor: a notification named the lane, a poll, or a full share. */
    public void markPending() {
        pending = true;
    }

    /** Whether rows may be waiting, forgetting it: the round that asks reads the lane. */
    public boolean takePending() {
        boolean was = pending;
        pending = false;
        return was;
    }

    /** Rows up to {@code seq} are on the broker. */
    public void advanced(long seq) {
        cursor = Math.max(cursor, seq);
    }

    /** Published further than the source's cursor says. */
    public boolean unsaved() {
        return cursor > saved;
    }

    /** The source's cursor now says {@code seq}. */
    public void saved(long seq) {
        saved = Math.max(saved, seq);
    }

    /** The lanes one of {@code instances} relay instances should hold: an even split, rounded up. */
    public static int fairShare(int instances) {
        int peers = Math.max(1, instances);
        return (OutboxLanes.COUNT + peers - 1) / peers;
    }
}
