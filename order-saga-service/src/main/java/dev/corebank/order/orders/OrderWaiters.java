package dev.corebank.order.orders;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Requests that asked to wait ({@code Prefer: wait}) for their order to finish. The replica whose transaction
 * finished an order wakes its own waiters once it committed, and NOTIFYs the order id on {@value #CHANNEL} in
 * that transaction for the other replicas, which all LISTEN. A waiter reads the order itself when woken or
 * when its time is up, so a lost notification costs latency, never a wrong answer.
 */
@Singleton
public class OrderWaiters {

    /** The NOTIFY channel; the payload is the order id. */
    public static final String CHANNEL = "order_outcomes";

    private static final Logger LOG = Logger.getLogger(OrderWaiters.class);

    private final Map<UUID, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();
    private final Vertx vertx;
    private final Optional<String> url;
    private final String user;
    private final Optional<String> password;
    private PgSubscriber subscriber;

    public OrderWaiters(Vertx vertx,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") Optional<String> url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.vertx = vertx;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    void onStart(@Observes StartupEvent start) {
        if (url.isEmpty()) {
            LOG.warn("no reactive datasource URL to LISTEN on; waiting requests see their outcome when their wait ends");
            return;
        }
        PgConnectOptions options = PgConnectOptions.fromUri(url.get())
                .setUser(user)
                .setPassword(password.orElse(""))
                .addProperty("application_name", "order-saga-service-listen");
        subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 1_000L);
        subscriber.channel(CHANNEL).handler(this::notified);
        subscriber.connect().subscribe().with(
                ignored -> LOG.infof("listening for finished orders on %s", CHANNEL),
                e -> LOG.warnf("LISTEN %s failed (%s); waiting requests see their outcome when their wait ends",
                        CHANNEL, e.getMessage()));
    }

    void onStop(@Observes ShutdownEvent stop) {
        if (subscriber != null) {
            subscriber.closeAndAwait();
        }
    }

    /** Starts waiting for {@code orderId}; call before the order commits, so an early finish is not missed. */
    public void expect(UUID orderId) {
        waiting.computeIfAbsent(orderId, id -> new CompletableFuture<>());
    }

    /** Completes when {@code orderId} finished or {@code wait} is over, whichever comes first; then stops waiting. */
    public Uni<Void> await(UUID orderId, Duration wait) {
        CompletableFuture<Void> finished = waiting.computeIfAbsent(orderId, id -> new CompletableFuture<>());
        return Uni.createFrom().completionStage(finished)
                .ifNoItem().after(wait).recoverWithItem((Void) null)
                .onTermination().invoke(() -> waiting.remove(orderId, finished));
    }

    /** Wakes this replica's waiter for {@code orderId}, if any. */
    public void finished(UUID orderId) {
        CompletableFuture<Void> finished = waiting.get(orderId);
        if (finished != null) {
            finished.complete(null);
        }
    }

    /** Stops waiting without a result (the order never committed). */
    public void forget(UUID orderId) {
        waiting.remove(orderId);
    }

    private void notified(String payload) {
        try {
            finished(UUID.fromString(payload));
        } catch (IllegalArgumentException e) {
            LOG.warnf("ignoring a %s notification that is not an order id", CHANNEL);
        }
    }
}
