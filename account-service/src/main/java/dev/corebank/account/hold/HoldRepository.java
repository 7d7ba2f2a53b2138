package dev.corebank.account.hold;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

@Singleton
public class HoldRepository {

    private static final String COLUMNS = """
            id, account_id, credit_account_id, currency, amount, status, captured_amount, reference, expires_at,
            placed_by, resolved_by, created_at, resolved_at""";

    private static final String FIND = "SELECT " + COLUMNS + " FROM holds WHERE id = ANY($1)";
    // Taken after the accounts' locks (see AccountRepository.LOCK), in id order: one global order.
    private static final String LOCK = "SELECT " + COLUMNS + " FROM holds WHERE id = ANY($1) ORDER BY id FOR UPDATE";
    private static final String EXPIRED = "SELECT " + COLUMNS
            + " FROM holds WHERE status = 'PLACED' AND expires_at <= $1 ORDER BY expires_at LIMIT $2";
    private static final String INSERT = """
            INSERT INTO holds (id, account_id, credit_account_id, currency, amount, reference, expires_at, placed_by, created_at)
            SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::bigint[], $6::text[],
                                 $7::timestamptz[], $8::uuid[], $9::timestamptz[])""";
    // Only a PLACED hold resolves: the condition is what makes "exactly once" hold even against a bug.
    private static final String RESOLVE = """
            UPDATE holds h SET status = r.status, captured_amount = r.captured_amount, resolved_by = r.resolved_by,
                               resolved_at = r.resolved_at
            FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::uuid[], $5::timestamptz[])
                 AS r(id, status, captured_amount, resolved_by, resolved_at)
            WHERE h.id = r.id AND h.status = 'PLACED'""";

    /** The holds among {@code ids}, unlocked: enough to learn which accounts to lock first. */
    public Uni<List<Hold>> find(SqlClient client, Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return client.preparedQuery(FIND)
                .execute(Tuple.of(ids.toArray(UUID[]::new)))
                .map(HoldRepository::all);
    }

    public Uni<List<Hold>> lock(SqlConnection tx, Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return tx.preparedQuery(LOCK)
                .execute(Tuple.of(ids.toArray(UUID[]::new)))
                .map(HoldRepository::all);
    }

    public Uni<List<Hold>> expired(SqlClient client, Instant now, int limit) {
        return client.preparedQuery(EXPIRED)
                .execute(Tuple.of(utc(now), limit))
                .map(HoldRepository::all);
    }

    /** Inserts the newly placed holds, then resolves the resolved ones (issued together, run in that order: a hold may be both). */
    public Uni<Void> write(SqlConnection tx, List<Hold> placed, List<Hold> resolved) {
        return Uni.combine().all().unis(insert(tx, placed), resolve(tx, resolved)).discardItems();
    }

    private Uni<Void> insert(SqlConnection tx, List<Hold> holds) {
        if (holds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = holds.size();
        UUID[] ids = new UUID[n];
        UUID[] accounts = new UUID[n];
        UUID[] credits = new UUID[n];
        String[] currencies = new String[n];
        Long[] amounts = new Long[n];
        String[] references = new String[n];
        OffsetDateTime[] expiries = new OffsetDateTime[n];
        UUID[] placedBy = new UUID[n];
        OffsetDateTime[] created = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            Hold hold = holds.get(i);
            ids[i] = hold.id();
            accounts[i] = hold.accountId();
            credits[i] = hold.creditAccountId();
            currencies[i] = hold.currency();
            amounts[i] = hold.amount();
            references[i] = hold.reference();
            expiries[i] = utc(hold.expiresAt());
            placedBy[i] = hold.placedBy();
            created[i] = utc(hold.createdAt());
        }
        return tx.preparedQuery(INSERT)
                .execute(Tuple.tuple(List.of(ids, accounts, credits, currencies, amounts, references, expiries,
                        placedBy, created)))
                .replaceWithVoid();
    }

    private Uni<Void> resolve(SqlConnection tx, List<Hold> holds) {
        if (holds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = holds.size();
        UUID[] ids = new UUID[n];
        String[] statuses = new String[n];
        Long[] captured = new Long[n];
        UUID[] resolvedBy = new UUID[n];
        OffsetDateTime[] resolvedAt = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            Hold hold = holds.get(i);
            ids[i] = hold.id();
            statuses[i] = hold.status().name();
            captured[i] = hold.capturedAmount();
            resolvedBy[i] = hold.resolvedBy();
            resolvedAt[i] = utc(hold.resolvedAt());
        }
        return tx.preparedQuery(RESOLVE)
                .execute(Tuple.of(ids, statuses, captured, resolvedBy, resolvedAt))
                .invoke(rows -> {
                    if (rows.rowCount() != n) {
                        throw new IllegalStateException("resolved " + rows.rowCount() + " of " + n + " locked holds");
                    }
                })
                .replaceWithVoid();
    }

    private static List<Hold> all(RowSet<Row> rows) {
        List<Hold> holds = new ArrayList<>(rows.rowCount());
        rows.forEach(row -> holds.add(from(row)));
        return holds;
    }

    static Hold from(Row row) {
        return new Hold(
                row.getUUID("id"),
                row.getUUID("account_id"),
                row.getUUID("credit_account_id"),
                row.getString("currency"),
                row.getLong("amount"),
                HoldStatus.valueOf(row.getString("status")),
                row.getLong("captured_amount"),
                row.getString("reference"),
                instant(row.getOffsetDateTime("expires_at")),
                row.getUUID("placed_by"),
                row.getUUID("resolved_by"),
                instant(row.getOffsetDateTime("created_at")),
                instant(row.getOffsetDateTime("resolved_at")));
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
