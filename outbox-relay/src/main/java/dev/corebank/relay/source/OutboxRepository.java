package dev.corebank.relay.source;

import dev.corebank.outbox.OutboxLanes;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The relay's SQL against one source database: what it reads, the cursors it moves, the lane locks it holds.
 * Lane locks live on a dedicated connection ({@code owner}); everything else goes through the pool.
 */
public final class OutboxRepository {

    // One index range scan per lane ((lane, seq) in each partition), each bounded, so nothing read is wasted.
    // Rows are stamped now() as they are made, so the day partitions made ahead of time are empty: the bound
    // on created_at lets the executor skip them (all but tomorrow's, which covers a clock set back a little).
    private static final String BATCH = """
            SELECT o.* FROM unnest($1::smallint[], $2::bigint[]) AS c(lane, after)
            CROSS JOIN LATERAL (
                SELECT seq, id, lane, topic, aggregate_type, aggregate_id, event_type, payload::text AS payload,
                       headers, created_at
                FROM outbox
                WHERE lane = c.lane AND seq > c.after AND created_at < now() + interval '1 day'
                ORDER BY seq
                LIMIT $3
            ) o
            ORDER BY o.seq""";
    private static final String ADVANCE = """
            UPDATE outbox_lane_cursor c SET last_seq = v.seq, updated_at = now()
            FROM unnest($1::smallint[], $2::bigint[]) AS v(lane, seq)
            WHERE c.lane = v.lane AND c.last_seq < v.seq""";
    private static final String CURSOR = "SELECT last_seq FROM outbox_lane_cursor WHERE lane = $1";
    private static final String OLDEST_PENDING_AGE = """
            SELECT coalesce(extract(epoch FROM now() - min(pending.created_at)), 0)::float8 AS lag
            FROM outbox_lane_cursor c
            CROSS JOIN LATERAL (
                SELECT created_at FROM outbox o WHERE o.lane = c.lane AND o.seq > c.last_seq ORDER BY o.seq LIMIT 1
            ) pending""";
    private static final String PEERS = """
            SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1""";
    private static final String TRY_OWN = "SELECT pg_try_advisory_lock($1, $2) AS owned";
    private static final String RELEASE = "SELECT pg_advisory_unlock($1, $2) AS released";
    // A pid alone may since name another session (the server restarted, or the pid was reused): the start time
    // makes it this one. Same role, so no privilege beyond the relay's own is needed to end it.
    private static final String SESSION = """
            SELECT pg_backend_pid() AS pid, backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()""";
    private static final String PING = "SELECT 1";
    private static final String END_SESSION = """
            SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE pid = $1 AND backend_start = $2""";

    /** One server session, told apart from any later one with the same pid by when it started. */
    public record Session(int pid, OffsetDateTime started) {

        static Session from(Row row) {
            return new Session(row.getInteger("pid"), row.getOffsetDateTime("backend_start"));
        }
    }

    private final Pool pool;

    public OutboxRepository(Pool pool) {
        this.pool = pool;
    }

    /** Up to {@code perLane} next rows of each lane after its cursor, in sequence (within a lane: commit) order. */
    public Uni<List<OutboxRow>> batch(Short[] lanes, Long[] afterSeqs, int perLane) {
        return pool.preparedQuery(BATCH)
                .execute(Tuple.of(lanes, afterSeqs, perLane))
                .map(rows -> {
                    List<OutboxRow> batch = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        batch.add(OutboxRow.from(row));
                    }
                    return batch;
                });
    }

    /** Moves lanes' cursors forward (never back: a slower, earlier owner cannot undo a newer one's work). */
    public Uni<Void> advance(Short[] lanes, Long[] toSeqs) {
        return pool.preparedQuery(ADVANCE).execute(Tuple.of(lanes, toSeqs)).replaceWithVoid();
    }

    public Uni<Long> cursor(int lane) {
        return pool.preparedQuery(CURSOR)
                .execute(Tuple.of((short) lane))
                .map(rows -> rows.iterator().next().getLong("last_seq"));
    }

    /** Age in seconds of the oldest row not yet published by any instance; 0 when all is published. */
    public Uni<Double> oldestPendingAgeSeconds() {
        return pool.query(OLDEST_PENDING_AGE)
                .execute()
                .map(rows -> rows.iterator().next().getDouble("lag"));
    }

    /** How many relay instances hold a lane-owner connection to this source, this one included. */
    public Uni<Integer> peers(SqlClient owner, String applicationName) {
        return owner.preparedQuery(PEERS)
                .execute(Tuple.of(applicationName))
                .map(rows -> rows.iterator().next().getLong(0).intValue());
    }

    /** Takes a lane if no other instance holds it; held until released or the connection ends. */
    public Uni<Boolean> tryOwn(SqlClient owner, int lane) {
        return owner.preparedQuery(TRY_OWN)
                .execute(Tuple.of(OutboxLanes.OWNER_LOCK, lane))
                .map(rows -> rows.iterator().next().getBoolean("owned"));
    }

    /** Gives a lane back; false if this session did not hold it. */
    public Uni<Boolean> release(SqlClient owner, int lane) {
        return owner.preparedQuery(RELEASE)
                .execute(Tuple.of(OutboxLanes.OWNER_LOCK, lane))
                .map(rows -> rows.iterator().next().getBoolean("released"));
    }

    /** The server session behind {@code connection}. */
    public Uni<Session> session(SqlClient connection) {
        return connection.query(SESSION)
                .execute()
                .map(rows -> Session.from(rows.iterator().next()));
    }

    /**
     * Ends {@code session} if it still exists, and with it every lock it holds. True if it was still there and
     * is being terminated, false if it was gone already.
     */
    public Uni<Boolean> end(SqlClient client, Session session) {
        return client.preparedQuery(END_SESSION)
                .execute(Tuple.of(session.pid(), session.started()))
                .map(rows -> rows.iterator().hasNext() && rows.iterator().next().getBoolean("ended"));
    }

    /** A round trip on {@code connection}, for telling one that still answers from one that stopped. */
    public Uni<Void> ping(SqlClient connection) {
        return connection.query(PING).execute().replaceWithVoid();
    }
}
