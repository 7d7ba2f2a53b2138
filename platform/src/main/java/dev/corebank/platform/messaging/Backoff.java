package dev.corebank.platform.messaging;

import java.time.Duration;

/**
 * How long a sender waits for the answer to a command before sending it again (with the same command id, so
 * the receiver applies it once): {@code first} after the first send, doubling with each re-send, never more
 * than {@code max}. A ledger away for an hour then costs a few dozen re-sends per command, not hundreds.
 *
 * <p>The transfer sweeper and the order saga both follow it; what happens when re-sending stops being worth
 * it is theirs to decide (a saga compensates; a transfer, which its sender cannot undo, keeps trying).
 */
public record Backoff(Duration first, Duration max) {

    /** Doublings beyond this change nothing: 2^20 times any sensible first wait is past any sensible max. */
    private static final int MAX_DOUBLINGS = 20;

    public Backoff {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("a backoff needs 0 < first <= max, got " + first + " and " + max);
        }
    }

    /** The wait for an answer after the command has been re-sent {@code resends} times (0: the first send). */
    public Duration waitAfter(int resends) {
        Duration wait = first.multipliedBy(1L << Math.min(Math.max(resends, 0), MAX_DOUBLINGS));
        return wait.compareTo(max) > 0 ? max : wait;
    }
}
