package dev.corebank.platform.partition;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import org.jboss.logging.Logger;

/**
 * The month partitions of one table, kept ready ahead of time so its default partition stays empty. The
 * owning service's migration defines {@code <ensureFunction>(months_ahead int) RETURNS int}, which creates
 * the current month's partition and {@code months_ahead} more where missing and returns how many it made.
 */
public final class MonthPartitions {

    private static final Logger LOG = Logger.getLogger(MonthPartitions.class);

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
        return pool.preparedQuery(ensure)
                .execute(Tuple.of(monthsAhead))
                .map(rows -> rows.iterator().next().getInteger("created"))
                .invoke(created -> {
                    if (created > 0) {
                        LOG.infof("created %d %s partitions", created, table);
                    }
                });
    }

    /** {@link #ensure} for a scheduled upkeep: a failure is logged, and the next upkeep or start-up retries. */
    public Uni<Void> upkeep(int monthsAhead) {
        return ensure(monthsAhead)
                .onFailure().invoke(e -> LOG.warnf(e, "%s partition upkeep failed; retried tomorrow or at start-up", table))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
