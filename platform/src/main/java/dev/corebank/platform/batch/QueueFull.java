package dev.corebank.platform.batch;

/**
 * A {@link GroupCommit} refused an item because as many as it may queue are already waiting: the service is
 * overloaded for now (503, retry later), not the request at fault.
 */
public class QueueFull extends RuntimeException {

    public QueueFull(String batch, int maxQueued) {
        super("too many requests are waiting (" + batch + ": " + maxQueued + " queued); retry shortly");
    }
}
