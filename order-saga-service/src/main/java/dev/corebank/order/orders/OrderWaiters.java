package dev.corebank.order.orders;

import dev.corebank.platform.waiting.Waiters;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
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

    private final Waiters<UUID> waiters = new Waiters<>(CHANNEL);
    private final Vertx vertx;
    private final Optional<String> url;
    private final String user;
    private final Optional<String> password;

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
        waiters.listen(vertx, url, user, password, "order-saga-service-listen", this::notified);
    }

    void onStop(@Observes ShutdownEvent stop) {
        waiters.close();
    }

    /** Starts waiting for {@code orderId}; call before the order commits, so an early finish is not missed. */
    public void expect(UUID orderId) {
        waiters.expect(orderId);
    }

    /** Completes when {@code orderId} finished or {@code wait} is over, whichever comes first; then stops waiting. */
    public Uni<Void> await(UUID orderId, Duration wait) {
        return waiters.await(orderId, wait).replaceWithVoid();
    }

    /** Wakes this replica's waiter for {@code orderId}, if any. */
    public void finished(UUID orderId) {
        waiters.complete(orderId, orderId);
    }

    /** Stops waiting without a result (the order never committed). */
    public void forget(UUID orderId) {
        waiters.forget(orderId);
    }

    private void notified(String payload) {
        try {
            finished(UUID.fromString(payload));
        } catch (IllegalArgumentException e) {
            LOG.warnf("ignoring a %s notification that is not an order id", CHANNEL);
        }
    }
}
