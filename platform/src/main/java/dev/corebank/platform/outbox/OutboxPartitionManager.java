package dev.corebank.platform.outbox;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Creates the outbox's day partitions ahead of time and drops the old ones once fully published: cleanup
 * by dropping whole partitions leaves no dead tuples behind, whatever the event rate.
 *
 * <p>Old partitions are detached {@code CONCURRENTLY} first, so appends to today's partition never wait
 * behind the drop's lock.
 */
@Singleton
public class OutboxPartitionManager {

    private static final Logger LOG = Logger.getLogger(OutboxPartitionManager.class);

    private static final String ENSURE = "SELECT outbox_ensure_partitions($1)";
    private static final String EXPIRED = "SELECT outbox_expired_partitions($1 * interval '1 second') AS name";

    private final Pool pool;
    private final OutboxConfig config;

    OutboxPartitionManager(Pool pool, OutboxConfig config) {
        this.pool = pool;
        this.config = config;
    }

    /** Partitions must exist before the first append; start-up waits for them (after Flyway). */
    void onStart(@Observes StartupEvent start) {
        maintain().await().atMost(Duration.ofSeconds(30));
    }

    @Scheduled(every = "${corebank.outbox.maintenance-interval:1h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return maintain()
                .onFailure().invoke(e -> LOG.warn("outbox partition upkeep failed; retried next interval", e))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Creates the coming days' partitions, then detaches and drops expired, fully published ones. */
    public Uni<List<String>> maintain() {
        return pool.preparedQuery(ENSURE)
                .execute(Tuple.of(config.partitionsAhead()))
                .chain(() -> pool.preparedQuery(EXPIRED).execute(Tuple.of(config.retention().toSeconds())))
                .map(rows -> rows.stream().map((Row row) -> row.getString("name")).toList())
                .call(this::dropAll);
    }

    private Uni<Void> dropAll(List<String> partitions) {
        return Multi.createFrom().iterable(partitions)
                .onItem().transformToUniAndConcatenate(this::drop)
                .collect().last()
                .replaceWithVoid();
    }

    private Uni<Void> drop(String partition) {
        // Names come from outbox_expired_partitions (pg_inherits), never from input.
        return pool.query("ALTER TABLE outbox DETACH PARTITION " + partition + " CONCURRENTLY").execute()
                .chain(() -> pool.query("DROP TABLE " + partition).execute())
                .invoke(() -> LOG.infof("dropped published outbox partition %s", partition))
                .replaceWithVoid();
    }
}
