package dev.corebank.order.saga;

import dev.corebank.order.config.OrderConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Moves on the sagas whose step is overdue (re-send, compensate, or FAILED; see OrderSaga), a batch per
 * transaction until none is due. Every replica sweeps; SKIP LOCKED keeps them off each other's rows.
 */
@Singleton
public class SagaSweeper {

    private static final Logger LOG = Logger.getLogger(SagaSweeper.class);

    private final SagaService sagas;
    private final int batch;
    private volatile boolean stopping;

    public SagaSweeper(SagaService sagas, OrderConfig config) {
        this.sagas = sagas;
        this.batch = config.saga().sweepBatch();
    }

    void onStop(@Observes ShutdownEvent stop) {
        stopping = true;
    }

    @Scheduled(every = "${corebank.orders.saga.sweep-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        if (stopping) {
            // The pool is closing: a sweep now would only fail. Another replica, or the next start, carries on.
            return Uni.createFrom().voidItem();
        }
        return sweepAll()
                .onFailure().invoke(e -> LOG.warnf("saga sweep failed (%s); next one in a moment", e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private Uni<Void> sweepAll() {
        return sagas.sweep(batch)
                .chain(moved -> moved == batch ? sweepAll() : Uni.createFrom().voidItem());
    }
}
