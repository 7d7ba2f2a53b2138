package dev.corebank.platform.waiting;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Requests on this replica that wait ({@code Prefer: wait}) for something to finish, keyed by its id, each to be
 * handed a {@code T}. The replica whose transaction finished it wakes its own waiters once that committed, and
 * NOTIFYs on a channel in the same transaction for the other replicas, which all LISTEN on a connection of their
 * own. A waiter whose time is up gets nothing from here and reads the state itself, so a notification lost while
 * the LISTEN connection was away costs latency, never a wrong answer.
 */
public final class Waiters<T> {

    private static final Logger LOG = Logger.getLogger(Waiters.class);

    private final Map<UUID, CompletableFuture<T>> waiting = new ConcurrentHashMap<>();
    private final String channel;
    private PgSubscriber subscriber;

    public Waiters(String channel) {
        this.channel = channel;
    }

    /**
     * LISTENs on the channel over a connection of its own to the service's database ({@code url}, reconnecting
     * every second while it is away), handing each payload to {@code onPayload}.
     */
    public void listen(Vertx vertx, Optional<String> url, String user, Optional<String> password,
            String applicationName, Consumer<String> onPayload) {
        if (url.isEmpty()) {
            LOG.warnf("no reactive datasource URL to LISTEN on %s; waiting requests see the outcome when their wait ends",
                    channel);
            return;
        }
        PgConnectOptions options = PgConnectOptions.fromUri(url.get())
                .setUser(user)
                .setPassword(password.orElse(""))
                .addProperty("application_name", applicationName);
        subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 1_000L);
        subscriber.channel(channel).handler(onPayload::accept);
        subscriber.connect().subscribe().with(
                ignored -> LOG.infof("listening on %s", channel),
                e -> LOG.warnf("LISTEN %s failed (%s); waiting requests see the outcome when their wait ends",
                        channel, e.getMessage()));
    }

    public void close() {
        if (subscriber != null) {
            subscriber.closeAndAwait();
        }
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
