package dev.corebank.transfer.transfers;

import dev.corebank.platform.partition.MonthPartitions;
import dev.corebank.transfer.config.TransferConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * The month partitions of {@code transfers}: the current month and {@code partition-months-ahead} more,
 * created at start-up and checked daily, so the default partition stays empty.
 */
@Singleton
public class TransferPartitions {

    private final MonthPartitions months;
    private final int monthsAhead;

    public TransferPartitions(Pool pool, TransferConfig config) {
        this.months = new MonthPartitions(pool, "transfers");
        this.monthsAhead = config.partitionMonthsAhead();
    }

    void onStart(@Observes StartupEvent start) {
        months.ensure(monthsAhead).await().atMost(Duration.ofSeconds(30));
    }

    @Scheduled(cron = "${corebank.transfers.partition-cron:0 20 0 * * ?}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> daily() {
        return months.upkeep(monthsAhead);
    }
}
