package dev.corebank.order.orders;

import dev.corebank.platform.waiting.Notifications;
import dev.corebank.platform.waiting.Waiters;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.UUID;
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
    private final Notifications notifications;

    public OrderWaiters(Notifications notifications) {
        this.notifications = notifications;
    }

    void onStart(@Observes StartupEvent start) {
        waiters.listen(notifications, this::notified);
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
