package dev.corebank.account.journal;

import dev.corebank.account.config.LedgerConfig;
import dev.corebank.platform.partition.MonthPartitions;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The journal's month partitions: the current month and {@code partition-months-ahead} more are created
 * at start-up and checked daily; old months are archived on an operator's request (detached into the
 * {@code archive} schema, never deleted). The archive's SQL lives in the V2 migration.
 */
@Singleton
public class JournalPartitions {

    private static final Logger LOG = Logger.getLogger(JournalPartitions.class);

    private static final String LIST = """
            SELECT name, schema, archived, month, bounds, estimated_rows FROM journal_partitions
            ORDER BY month NULLS LAST, name""";
    private static final String ARCHIVE = "SELECT journal_archive_partitions($1) AS name";

    private final Pool pool;
    private final LedgerConfig config;
    private final MonthPartitions months;

    public JournalPartitions(Pool pool, LedgerConfig config) {
        this.pool = pool;
        this.config = config;
        this.months = new MonthPartitions(pool, "journal_entries");
    }

    void onStart(@Observes StartupEvent start) {
        ensure().await().atMost(Duration.ofSeconds(30));
    }

    @Scheduled(cron = "${corebank.ledger.partition-cron:0 15 0 * * ?}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> daily() {
        return months.upkeep(config.partitionMonthsAhead());
    }

    /** Creates the missing month partitions; returns how many it created. */
    public Uni<Integer> ensure() {
        return months.ensure(config.partitionMonthsAhead());
    }

    public Uni<List<Partition>> list() {
        return pool.query(LIST)
                .execute()
                .map(rows -> {
                    List<Partition> partitions = new ArrayList<>();
                    rows.forEach(row -> partitions.add(Partition.from(row)));
                    return partitions;
                });
    }

    /**
     * Archives the months that ended at least {@code olderThanMonths} months before this one. Fails with the
     * lock timeout's error (SQLSTATE 55P03) rather than hold up postings while a long reader has the journal.
     */
    public Uni<List<String>> archive(int olderThanMonths) {
        return MonthPartitions.withDdlLockTimeout(pool, tx -> tx.preparedQuery(ARCHIVE)
                .execute(Tuple.of(olderThanMonths))
                .map(rows -> {
                    List<String> names = new ArrayList<>();
                    rows.forEach(row -> names.add(row.getString("name")));
                    return names;
                }))
                .invoke(names -> LOG.infof("archived journal partitions %s", names));
    }

    /** A month partition (or the default one, which has no month) and where it lives. */
    public record Partition(String name, String schema, boolean archived, LocalDate month, String bounds,
            long estimatedRows) {

        static Partition from(Row row) {
            return new Partition(row.getString("name"), row.getString("schema"), row.getBoolean("archived"),
                    row.getLocalDate("month"), row.getString("bounds"), row.getLong("estimated_rows"));
        }
    }
}
