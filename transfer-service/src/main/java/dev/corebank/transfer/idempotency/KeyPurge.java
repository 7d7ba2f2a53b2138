package dev.corebank.transfer.idempotency;

import dev.corebank.transfer.config.TransferConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Singleton;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Forgets Idempotency-Keys past their retention, in batches of short transactions, until none is left.
 * Each batch finds its rows through the BRIN index on created_at. The key of a transfer still PENDING stays
 * until the transfer settles, however old: a retry must find the transfer, not make a second one.
 */
@Singleton
public class KeyPurge {

    private static final Logger LOG = Logger.getLogger(KeyPurge.class);

    private final Pool pool;
    private final IdempotencyRepository keys;
    private final TransferConfig.Idempotency config;

    public KeyPurge(Pool pool, IdempotencyRepository keys, TransferConfig config) {
        this.pool = pool;
        this.keys = keys;
        this.config = config.idempotency();
    }

    @Scheduled(every = "${corebank.transfers.idempotency.purge-interval:PT10M}", delayed = "PT1M",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return purge()
                .onFailure().invoke(e -> LOG.warn("idempotency key purge failed; retried at the next interval", e))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Deletes every key older than the retention whose transfer has settled; returns how many. */
    public Uni<Long> purge() {
        Instant before = Instant.now().minus(config.retention());
        return purgeFrom(before, 0L)
                .invoke(deleted -> {
                    if (deleted > 0) {
                        LOG.infof("purged %d idempotency keys made before %s", deleted, before);
                    }
                });
    }

    private Uni<Long> purgeFrom(Instant before, long deletedSoFar) {
        return keys.purge(pool, before, config.purgeBatch())
                .chain(deleted -> deleted < config.purgeBatch()
                        ? Uni.createFrom().item(deletedSoFar + deleted)
                        : purgeFrom(before, deletedSoFar + deleted));
    }
}
