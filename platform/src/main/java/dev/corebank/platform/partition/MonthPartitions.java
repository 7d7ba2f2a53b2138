package dev.corebank.platform.partition;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The month partitions of one table, kept ready ahead of time so its default partition stays empty. The
 * owning service's migration defines {@code <ensureFunction>(months_ahead int) RETURNS int}, which creates
 * the current month's partition and {@code months_ahead} more where missing and returns how many it made.
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
    private final String table;
    private final String ensure;

    public MonthPartitions(Pool pool, String table, String ensureFunction) {
        this.pool = pool;
        this.table = table;
        this.ensure = "SELECT " + ensureFunction + "($1) AS created";
    }

    /** Creates the missing month partitions; returns how many it created. */
    public Uni<Integer> ensure(int monthsAhead) {
        return withDdlLockTimeout(pool, tx -> tx.preparedQuery(ensure).execute(Tuple.of(monthsAhead)))
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
