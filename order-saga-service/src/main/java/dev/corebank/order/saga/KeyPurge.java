package dev.corebank.order.saga;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/** Deletes Idempotency-Keys past their retention, a bounded batch per statement. */
@Singleton
public class KeyPurge {

    private static final Logger LOG = Logger.getLogger(KeyPurge.class);
    private static final int BATCH = 5_000;

    private final OrderService orders;
    private volatile boolean stopping;

    public KeyPurge(OrderService orders) {
        this.orders = orders;
    }

    void onStop(@Observes ShutdownEvent stop) {
        stopping = true;
    }

    @Scheduled(every = "${corebank.orders.idempotency.purge-interval:10m}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purge() {
        if (stopping) {
            return Uni.createFrom().voidItem();
        }
        return orders.purgeKeys(BATCH)
                .invoke(purged -> LOG.debugf("purged %d expired Idempotency-Keys", purged))
                .onFailure().invoke(e -> LOG.warnf("key purge failed (%s); retried next interval", e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
