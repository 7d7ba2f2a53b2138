package dev.corebank.relay.lane;

/**
 * When a source drains: one round at a time, never two at once. A wake-up during a round only asks for one
 * more round after it, which is how a burst of notifications collapses into as few queries as possible.
 * Used on one event-loop context only.
 */
public final class Rounds {

    private enum State { IDLE, RUNNING, RUNNING_AGAIN }

    private State state = State.IDLE;

    /** New rows may be waiting. True if the caller must start a round now. */
    public boolean wake() {
        switch (state) {
            case IDLE -> {
                state = State.RUNNING;
                return true;
            }
            case RUNNING -> state = State.RUNNING_AGAIN;
            case RUNNING_AGAIN -> {
                // one more round is already asked for
            }
        }
        return false;
    }

    /** A round ended. True if the caller must run another (the batch was full, or woken meanwhile). */
    public boolean done(boolean batchWasFull) {
        boolean again = batchWasFull || state == State.RUNNING_AGAIN;
        state = again ? State.RUNNING : State.IDLE;
        return again;
    }

    /** A round failed: rest until the next poll or notification. */
    public void failed() {
        state = State.IDLE;
    }

    public boolean idle() {
        return state == State.IDLE;
    }
}
