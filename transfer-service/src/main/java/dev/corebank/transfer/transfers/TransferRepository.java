package dev.corebank.transfer.transfers;

import dev.corebank.platform.messaging.Backoff;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The SQL of the {@code transfers} table. Every statement names created_at, so it reads one partition. */
@Singleton
public class TransferRepository {

    private static final String COLUMNS = """
            id, from_account_id, to_account_id, amount, currency, description, status, reason, detail,
            created_at, completed_at""";

    private static final String INSERT = """
            INSERT INTO transfers (id, from_account_id, to_account_id, amount, currency, description, status,
                                   created_at, last_sent_at)
            SELECT id, from_account_id, to_account_id, amount, currency, description, 'PENDING', created_at, created_at
            FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::bigint[], $5::text[], $6::text[], $7::timestamptz[])
                     AS t(id, from_account_id, to_account_id, amount, currency, description, created_at)""";

    private static final String FIND = "SELECT " + COLUMNS + " FROM transfers WHERE id = $1 AND created_at = $2";

    // Two index scans (one per side) of at most $4 rows each, merged: never more than 2 x limit rows read.
    private static final String HISTORY = """
            SELECT * FROM (
                (SELECT %1$s FROM transfers WHERE from_account_id = $1 AND (created_at, id) < ($2, $3)
                 ORDER BY created_at DESC, id DESC LIMIT $4)
                UNION ALL
                (SELECT %1$s FROM transfers WHERE to_account_id = $1 AND (created_at, id) < ($2, $3)
                 ORDER BY created_at DESC, id DESC LIMIT $4)
            ) AS both_sides
            ORDER BY created_at DESC, id DESC
            LIMIT $4""".formatted(COLUMNS);

    // Only PENDING rows change: a reply delivered twice, or after the other outcome, changes nothing.
    private static final String SETTLE = """
            UPDATE transfers t
            SET status = o.status, reason = o.reason, detail = o.detail, completed_at = coalesce(o.completed_at, now())
            FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
                     AS o(id, created_at, status, reason, detail, completed_at)
            WHERE t.id = o.id AND t.created_at = o.created_at AND t.status = 'PENDING'
            RETURNING t.id, t.from_account_id, t.to_account_id, t.amount, t.currency, t.description, t.status,
                      t.reason, t.detail, t.created_at, t.completed_at""";

    // SKIP LOCKED: replicas sweeping at once share the work instead of sending the same commands twice.
    // The index finds the rows past the first wait ($1); each row's own wait (Backoff: $3 seconds doubling
    // per re-send, at most $4) is checked on those.
    private static final String DUE_FOR_RESEND = """
            WITH due AS (
                SELECT id, created_at FROM transfers
                WHERE status = 'PENDING' AND last_sent_at < $1
                  AND last_sent_at < now() - least($3 * power(2, least(send_count - 1, 20)), $4) * interval '1 second'
                ORDER BY last_sent_at
                LIMIT $2
                FOR UPDATE SKIP LOCKED
            )
            UPDATE transfers t SET last_sent_at = now(), send_count = t.send_count + 1
            FROM due WHERE t.id = due.id AND t.created_at = due.created_at
            RETURNING t.id, t.from_account_id, t.to_account_id, t.amount, t.currency, t.description, t.status,
                      t.reason, t.detail, t.created_at, t.completed_at""";

    private static final String PENDING_COUNT = "SELECT count(*) AS pending FROM transfers WHERE status = 'PENDING'";

    public Uni<Void> insert(SqlClient client, List<Transfer> transfers) {
        int n = transfers.size();
        UUID[] ids = new UUID[n];
        UUID[] from = new UUID[n];
        UUID[] to = new UUID[n];
        Long[] amounts = new Long[n];
        String[] currencies = new String[n];
        String[] descriptions = new String[n];
        OffsetDateTime[] created = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            Transfer transfer = transfers.get(i);
            ids[i] = transfer.id();
            from[i] = transfer.fromAccountId();
            to[i] = transfer.toAccountId();
            amounts[i] = transfer.amount();
            currencies[i] = transfer.currency();
            descriptions[i] = transfer.description();
            created[i] = utc(transfer.createdAt());
        }
        return client.preparedQuery(INSERT)
                .execute(Tuple.tuple(Arrays.asList(ids, from, to, amounts, currencies, descriptions, created)))
                .replaceWithVoid();
    }

    public Uni<Optional<Transfer>> find(SqlClient client, UUID id) {
        return client.preparedQuery(FIND)
                .execute(Tuple.of(id, utc(Transfer.createdAtOf(id))))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(from(rows.iterator().next())));
    }

    /** Transfers from or to {@code accountId} before {@code cursor}, newest first. */
    public Uni<List<Transfer>> history(SqlClient client, UUID accountId, TransferCursor cursor, int limit) {
        return client.preparedQuery(HISTORY)
                .execute(Tuple.of(accountId, utc(cursor.createdAt()), cursor.id(), limit))
                .map(TransferRepository::all);
    }

    /** Records the ledger's outcomes; returns the transfers that were PENDING until now, as they are now. */
    public Uni<List<Transfer>> settle(SqlClient client, List<Outcome> outcomes) {
        int n = outcomes.size();
        UUID[] ids = new UUID[n];
        OffsetDateTime[] created = new OffsetDateTime[n];
        String[] statuses = new String[n];
        String[] reasons = new String[n];
        String[] details = new String[n];
        OffsetDateTime[] completed = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            Outcome outcome = outcomes.get(i);
            ids[i] = outcome.transferId();
            created[i] = utc(Transfer.createdAtOf(outcome.transferId()));
            statuses[i] = outcome.status().name();
            reasons[i] = outcome.reason();
            details[i] = outcome.detail();
            completed[i] = outcome.completedAt() == null ? null : utc(outcome.completedAt());
        }
        return client.preparedQuery(SETTLE)
                .execute(Tuple.of(ids, created, statuses, reasons, details, completed))
                .map(TransferRepository::all);
    }

    /** Marks up to {@code limit} transfers PENDING since before {@code sentBefore} as sent now, and returns them. */
    /** Locks and marks re-sent up to {@code limit} PENDING transfers whose command waited past {@code backoff}. */
    public Uni<List<Transfer>> dueForResend(SqlClient client, Backoff backoff, int limit) {
        return client.preparedQuery(DUE_FOR_RESEND)
                .execute(Tuple.of(utc(Instant.now().minus(backoff.first())), limit,
                        backoff.first().toMillis() / 1000.0, backoff.max().toMillis() / 1000.0))
                .map(TransferRepository::all);
    }

    public Uni<Long> pendingCount(SqlClient client) {
        return client.query(PENDING_COUNT).execute().map(rows -> rows.iterator().next().getLong("pending"));
    }

    private static List<Transfer> all(RowSet<Row> rows) {
        List<Transfer> transfers = new ArrayList<>(rows.size());
        rows.forEach(row -> transfers.add(from(row)));
        return transfers;
    }

    private static Transfer from(Row row) {
        OffsetDateTime completed = row.getOffsetDateTime("completed_at");
        return new Transfer(row.getUUID("id"), row.getUUID("from_account_id"), row.getUUID("to_account_id"),
                row.getLong("amount"), row.getString("currency"), row.getString("description"),
                TransferStatus.valueOf(row.getString("status")), row.getString("reason"), row.getString("detail"),
                row.getOffsetDateTime("created_at").toInstant(), completed == null ? null : completed.toInstant());
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
