package dev.corebank.account.journal;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

@Singleton
public class JournalRepository {

    private static final String INSERT_MOVEMENTS = """
            INSERT INTO movements (id, kind, currency, amount, reference, posted_at)
            SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::timestamptz[])""";
    private static final String INSERT_ENTRIES = """
            INSERT INTO journal_entries (movement_id, account_id, kind, amount, balance_after, posted_at)
            SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::bigint[], $5::bigint[], $6::timestamptz[])""";
    // Keyset pagination, newest first: an index-only scan of journal_entries_statement in every partition.
    private static final String STATEMENT = """
            SELECT entry_no, movement_id, account_id, kind, amount, balance_after, posted_at
            FROM journal_entries
            WHERE account_id = $1 AND (posted_at, entry_no) < ($2, $3)
            ORDER BY posted_at DESC, entry_no DESC
            LIMIT $4""";

    /** Writes a batch's movements, then their entries (issued together; they run in that order). */
    public Uni<Void> write(SqlConnection tx, List<Movement> movements, List<JournalEntry> entries) {
        if (movements.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.combine().all().unis(insertMovements(tx, movements), insertEntries(tx, entries)).discardItems();
    }

    private Uni<Void> insertMovements(SqlConnection tx, List<Movement> movements) {
        int n = movements.size();
        UUID[] ids = new UUID[n];
        String[] kinds = new String[n];
        String[] currencies = new String[n];
        Long[] amounts = new Long[n];
        String[] references = new String[n];
        OffsetDateTime[] postedAt = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            Movement movement = movements.get(i);
            ids[i] = movement.id();
            kinds[i] = movement.kind().name();
            currencies[i] = movement.currency();
            amounts[i] = movement.amount();
            references[i] = movement.reference();
            postedAt[i] = utc(movement.postedAt());
        }
        return tx.preparedQuery(INSERT_MOVEMENTS)
                .execute(Tuple.of(ids, kinds, currencies, amounts, references, postedAt))
                .replaceWithVoid();
    }

    private Uni<Void> insertEntries(SqlConnection tx, List<JournalEntry> entries) {
        int n = entries.size();
        UUID[] movements = new UUID[n];
        UUID[] accounts = new UUID[n];
        String[] kinds = new String[n];
        Long[] amounts = new Long[n];
        Long[] balances = new Long[n];
        OffsetDateTime[] postedAt = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            JournalEntry entry = entries.get(i);
            movements[i] = entry.movementId();
            accounts[i] = entry.accountId();
            kinds[i] = entry.kind().name();
            amounts[i] = entry.amount();
            balances[i] = entry.balanceAfter();
            postedAt[i] = utc(entry.postedAt());
        }
        return tx.preparedQuery(INSERT_ENTRIES)
                .execute(Tuple.of(movements, accounts, kinds, amounts, balances, postedAt))
                .replaceWithVoid();
    }

    /** Up to {@code limit} entries of the account older than {@code before}, newest first. */
    public Uni<List<JournalEntry>> statement(SqlClient client, UUID accountId, StatementCursor before, int limit) {
        return client.preparedQuery(STATEMENT)
                .execute(Tuple.of(accountId, utc(before.postedAt()), before.entryNo(), limit))
                .map(rows -> {
                    List<JournalEntry> entries = new ArrayList<>(rows.rowCount());
                    rows.forEach(row -> entries.add(from(row)));
                    return entries;
                });
    }

    static JournalEntry from(Row row) {
        return new JournalEntry(
                row.getLong("entry_no"),
                row.getUUID("movement_id"),
                row.getUUID("account_id"),
                Movement.Kind.valueOf(row.getString("kind")),
                row.getLong("amount"),
                row.getLong("balance_after"),
                row.getOffsetDateTime("posted_at").toInstant());
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
