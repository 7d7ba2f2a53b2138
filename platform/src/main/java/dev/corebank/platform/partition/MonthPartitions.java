package dev.corebank.platform.partition;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The month partitions of one table, kept ready ahead of time so its default partition stays empty, by the
 * shared {@code ensure_month_partitions(parent, months_ahead)} (migration V1_4), which creates the current
 * month's partition and {@code months_ahead} more where missing and returns how many it made.
 */
public final class MonthPartitions {

    private static final Logger LOG = Logger.getLogger(MonthPartitions.class);

    /**
     * Creating, detaching or archiving a partition takes an ACCESS EXCLUSIVE lock on the partitioned table.
     * Waiting for it behind a long reader (a report, a dump), the DDL would hold up every write to the table
     * queued behind it; it waits this long at most, then fails and is tried again later.
     */
    public static final String DDL_LOCK_TIMEOUT = "2s";

    private final Pool pool;
    private static final String ENSURE = "SELECT ensure_month_partitions($1::text::regclass, $2) AS created";

    private final String table;

    /** @param table the partitioned table, as SQL names it (schema-qualified if it is not on the search path) */
    public MonthPartitions(Pool pool, String table) {
        this.pool = pool;
        this.table = table;
    }

    /** Creates the missing month partitions; returns how many it created. */
    public Uni<Integer> ensure(int monthsAhead) {
        return withDdlLockTimeout(pool, tx -> tx.preparedQuery(ENSURE).execute(Tuple.of(table, monthsAhead)))
                .map(rows -> rows.iterator().next().getInteger("created"))
                .invoke(created -> {
                    if (created > 0) {
                        LOG.infof("created %d %s partitions", created, table);
                    }
                });
    }

    /** Runs partition DDL in a transaction of its own that waits at most {@link #DDL_LOCK_TIMEOUT} for a lock. */
    public static <T> Uni<T> withDdlLockTimeout(Pool pool, Function<SqlConnection, Uni<T>> ddl) {
        return pool.withTransaction(tx -> tx.query("SET LOCAL lock_timeout = '" + DDL_LOCK_TIMEOUT + "'").execute()
                .chain(() -> ddl.apply(tx)));
    }

    /** {@link #ensure} for a scheduled upkeep: a failure is logged, and the next upkeep or start-up retries. */
    public Uni<Void> upkeep(int monthsAhead) {
        return ensure(monthsAhead)
                .onFailure().invoke(e -> LOG.warnf(e, "%s partition upkeep failed; retried tomorrow or at start-up", table))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
