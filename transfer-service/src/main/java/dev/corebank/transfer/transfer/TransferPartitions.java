package dev.corebank.transfer.transfer;

import dev.corebank.transfer.config.TransferConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * The month partitions of {@code transfers}: the current month and {@code partition-months-ahead} more,
 * created at start-up and checked daily, so the default partition stays empty. The SQL lives in V2.
 */
@Singleton
public class TransferPartitions {

    private static final Logger LOG = Logger.getLogger(TransferPartitions.class);

    private static final String ENSURE = "SELECT transfers_ensure_partitions($1) AS created";

    private final Pool pool;
    private final TransferConfig config;

    public TransferPartitions(Pool pool, TransferConfig config) {
        this.pool = pool;
        this.config = config;
    }

    void onStart(@Observes StartupEvent start) {
        ensure().await().atMost(Duration.ofSeconds(30));
    }

    @Scheduled(cron = "${corebank.transfers.partition-cron:0 20 0 * * ?}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> daily() {
        return ensure()
                .onFailure().invoke(e -> LOG.warn("transfer partition upkeep failed; retried tomorrow or at start-up", e))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Creates the missing month partitions; returns how many it created. */
    public Uni<Integer> ensure() {
        return pool.preparedQuery(ENSURE)
                .execute(Tuple.of(config.partitionMonthsAhead()))
                .map(rows -> rows.iterator().next().getInteger("created"))
                .invoke(created -> {
                    if (created > 0) {
                        LOG.infof("created %d transfer partitions", created);
                    }
                });
    }
}
