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
    private static final String EXPIRED = "SELECT name, state FROM outbox_expired_partitions($1 * interval '1 second')";

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
                .map(rows -> rows.stream().map(Expired::from).toList())
                .call(this::dropAll)
                .map(expired -> expired.stream().map(Expired::name).toList());
    }

    /** An expired day table and how far an earlier drop got with it. */
    private record Expired(String name, String state) {

        static Expired from(Row row) {
            return new Expired(row.getString("name"), row.getString("state"));
        }
    }

    /** Each partition on its own: one that fails is retried next interval and does not hold up the rest. */
    private Uni<Void> dropAll(List<Expired> partitions) {
        return Multi.createFrom().iterable(partitions)
                .onItem().transformToUniAndConcatenate(partition -> drop(partition)
                        .onFailure().invoke(e -> LOG.warnf(e, "could not drop outbox partition %s", partition.name()))
                        .onFailure().recoverWithNull())
                .collect().last()
                .replaceWithVoid();
    }

    private Uni<Void> drop(Expired partition) {
        // Names come from outbox_expired_partitions (pg_class), never from input.
        Uni<Void> detach = switch (partition.state()) {
            case "attached" -> run("ALTER TABLE outbox DETACH PARTITION " + partition.name() + " CONCURRENTLY");
            case "detach_pending" -> run("ALTER TABLE outbox DETACH PARTITION " + partition.name() + " FINALIZE");
            default -> Uni.createFrom().voidItem();
        };
        return detach
                .chain(() -> run("DROP TABLE " + partition.name()))
                .invoke(() -> LOG.infof("dropped published outbox partition %s", partition.name()));
    }

    private Uni<Void> run(String ddl) {
        return pool.query(ddl).execute().replaceWithVoid();
    }
}
