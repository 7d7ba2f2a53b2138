package dev.corebank.relay.lane;

import dev.corebank.outbox.OutboxLanes;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One lane of one source as this relay instance sees it: whether it holds the lane's owner lock, the last
 * sequence it knows to be on the broker, the last one written back to the source, whether rows may be
 * waiting, and whether the broker keeps refusing its rows (then it is retried alone, backing off). Changed
 * only on its source's event-loop context; the status endpoint and the meters read the volatile fields.
 */
public final class Lane {

    private final int id;
    private volatile boolean owned;
    private volatile long cursor;
    private long saved;
    private boolean releaseWanted;
    private boolean pending;
    private boolean retrying;
    private volatile Failing failing;

    /**
     * A lane the broker keeps refusing: {@code failures} attempts in a row, the latest with {@code error}, the
     * first at {@code since}; the next attempt at {@code nextAttemptAt}.
     */
    public record Failing(int failures, String error, Instant since, Instant nextAttemptAt) {
    }

    public Lane(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    public boolean owned() {
        return owned;
    }

    /** Owned and not being given back: its rows go into the next round, unless it is failing. */
    public boolean publishing() {
        return owned && !releaseWanted;
    }

    /** Whether the broker refused this lane's latest attempt; empty while it publishes. */
    public Optional<Failing> failing() {
        return Optional.ofNullable(failing);
    }

    public boolean isFailing() {
        return failing != null;
    }

    /**
     * An attempt failed with {@code error} at {@code now}; returns how long to wait before the next one:
     * {@code first}, doubling with each failure in a row, at most {@code max}.
     */
    public Duration failed(String error, Instant now, Duration first, Duration max) {
        Failing before = failing;
        int failures = before == null ? 1 : before.failures() + 1;
        Duration wait = first.multipliedBy(1L << Math.min(failures - 1, 20));
        if (wait.compareTo(max) > 0) {
            wait = max;
        }
        failing = new Failing(failures, error, before == null ? now : before.since(), now.plus(wait));
        return wait;
    }

    /** The broker took an attempt: the lane goes back into the rounds. */
    public void recovered() {
        failing = null;
    }

    /** A failing lane's lone attempt is in flight: it may not be given back until it ends. */
    public boolean retrying() {
        return retrying;
    }

    public void retrying(boolean retrying) {
        this.retrying = retrying;
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
        this.failing = null;
    }

    /** The owner lock is gone (released, or its connection died). */
    public void disown() {
        owned = false;
        releaseWanted = false;
        failing = null;
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
