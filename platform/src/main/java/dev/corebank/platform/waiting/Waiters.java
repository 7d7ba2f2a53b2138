package dev.corebank.platform.waiting;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Requests on this replica that wait ({@code Prefer: wait}) for something to finish, keyed by its id, each to be
 * handed a {@code T}. The replica whose transaction finished it wakes its own waiters once that committed, and
 * NOTIFYs on a channel in the same transaction for the other replicas, which all LISTEN ({@link Notifications}).
 * A waiter whose time is up gets nothing from here and reads the state itself, so a notification lost while
 * the LISTEN connection was away costs latency, never a wrong answer.
 */
public final class Waiters<T> {

    private final Map<UUID, CompletableFuture<T>> waiting = new ConcurrentHashMap<>();
    private final String channel;

    public Waiters(String channel) {
        this.channel = channel;
    }

    /** LISTENs on the channel through this replica's {@code notifications}, handing each payload to {@code onPayload}. */
    public void listen(Notifications notifications, Consumer<String> onPayload) {
        notifications.listen(channel, onPayload);
    }

    /** Starts waiting for {@code id}; call before the change commits, so an early finish is not missed. */
    public void expect(UUID id) {
        waiting.computeIfAbsent(id, ignored -> new CompletableFuture<>());
    }

    /**
     * What {@code id} finished with, or empty if nothing came within {@code wait}. Always stops waiting for
     * {@code id}, however it ends.
     */
    public Uni<Optional<T>> await(UUID id, Duration wait) {
        CompletableFuture<T> outcome = waiting.computeIfAbsent(id, ignored -> new CompletableFuture<>());
        return Uni.createFrom().completionStage(outcome)
                .map(Optional::of)
                .ifNoItem().after(wait).recoverWithItem(Optional.empty())
                .onTermination().invoke(() -> waiting.remove(id, outcome));
    }

    /** Whether a request on this replica waits for {@code id}. */
    public boolean awaits(UUID id) {
        return waiting.containsKey(id);
    }

    /** Wakes this replica's waiter for {@code id}, if any, with {@code outcome}. */
    public void complete(UUID id, T outcome) {
        CompletableFuture<T> waiter = waiting.get(id);
        if (waiter != null) {
            waiter.complete(outcome);
        }
    }

    /** Stops waiting without a result (the change never committed). */
    public void forget(UUID id) {
        waiting.remove(id);
    }
}
