package dev.corebank.account.accounts;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@Singleton
public class AccountRepository {

    private static final String COLUMNS = "id, owner_id, currency, kind, balance, held, overdraft_limit, status, version";

    private static final String INSERT = """
            INSERT INTO accounts (id, owner_id, currency, overdraft_limit) VALUES ($1, $2, $3, $4)
            RETURNING\s""" + COLUMNS;
    private static final String INSERT_SYSTEM = """
            INSERT INTO accounts (id, owner_id, currency, kind) VALUES ($1, $2, $3, 'SYSTEM')
            ON CONFLICT (currency) WHERE kind = 'SYSTEM' DO NOTHING""";
    private static final String FIND = "SELECT " + COLUMNS + " FROM accounts WHERE id = $1";
    private static final String OWNER = "SELECT owner_id FROM accounts WHERE id = $1";
    private static final String SYSTEM_ACCOUNTS = """
            SELECT id FROM accounts WHERE kind = 'SYSTEM' AND currency = ANY($1)""";
    // ORDER BY under FOR UPDATE: the rows are locked in ascending id order, the one order every
    // transaction that moves money follows, so two of them never wait on each other in a cycle.
    private static final String LOCK = "SELECT " + COLUMNS + " FROM accounts WHERE id = ANY($1) ORDER BY id FOR UPDATE";
    private static final String UPDATE_BALANCES = """
            UPDATE accounts a SET balance = u.balance, held = u.held, version = u.version, updated_at = now()
            FROM unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::bigint[]) AS u(id, balance, held, version)
            WHERE a.id = u.id AND a.version = u.version - 1""";
    // Optimistic: applies only to the version the client read, and says so in one statement.
    private static final String EDIT = """
            UPDATE accounts SET status = $3, overdraft_limit = $4, version = version + 1, updated_at = now()
            WHERE id = $1 AND version = $2 AND kind = 'CUSTOMER'
            RETURNING\s""" + COLUMNS;
    private static final String PAGE = "SELECT " + COLUMNS + " FROM accounts WHERE id > $1 ORDER BY id LIMIT $2";

    public Uni<Account> insert(SqlConnection tx, Account account) {
        return tx.preparedQuery(INSERT)
                .execute(Tuple.of(account.id(), account.ownerId(), account.currency(), account.overdraftLimit()))
                .map(rows -> from(rows.iterator().next()));
    }

    /** Creates the bank's account of {@code currency} unless it exists. */
    public Uni<Void> ensureSystemAccount(SqlConnection tx, UUID id, String currency) {
        return tx.preparedQuery(INSERT_SYSTEM)
                .execute(Tuple.of(id, Account.BANK, currency))
                .replaceWithVoid();
    }

    public Uni<Optional<Account>> find(SqlClient client, UUID id) {
        return client.preparedQuery(FIND)
                .execute(Tuple.of(id))
                .map(AccountRepository::first);
    }

    /** Who owns the account; empty if there is none. */
    public Uni<Optional<String>> ownerOf(SqlClient client, UUID id) {
        return client.preparedQuery(OWNER)
                .execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString("owner_id")));
    }

    public Uni<List<UUID>> systemAccountIds(SqlClient client, Collection<String> currencies) {
        return client.preparedQuery(SYSTEM_ACCOUNTS)
                .execute(Tuple.of(currencies.toArray(String[]::new)))
                .map(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getUUID("id")));
                    return ids;
                });
    }

    /** Locks the accounts that exist among {@code ids}, in ascending id order, and returns them. */
    public Uni<List<Account>> lock(SqlConnection tx, Collection<UUID> ids) {
        return tx.preparedQuery(LOCK)
                .execute(Tuple.of(ids.toArray(UUID[]::new)))
                .map(AccountRepository::all);
    }

    /**
     * Writes the new balances of accounts this transaction locked; each must carry its locked version
     * plus one (the condition makes a lost lock an error rather than a lost update).
     */
    public Uni<Void> writeBalances(SqlConnection tx, List<Account> changed) {
        if (changed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = changed.size();
        UUID[] ids = new UUID[n];
        Long[] balances = new Long[n];
        Long[] held = new Long[n];
        Long[] versions = new Long[n];
        for (int i = 0; i < n; i++) {
            Account account = changed.get(i);
            ids[i] = account.id();
            balances[i] = account.balance();
            held[i] = account.held();
            versions[i] = account.version();
        }
        return tx.preparedQuery(UPDATE_BALANCES)
                .execute(Tuple.of(ids, balances, held, versions))
                .invoke(rows -> {
                    if (rows.rowCount() != n) {
                        throw new IllegalStateException("updated " + rows.rowCount() + " of " + n + " locked accounts");
                    }
                })
                .replaceWithVoid();
    }

    /** The account after the edit, or empty when {@code expectedVersion} is not the current one. */
    public Uni<Optional<Account>> edit(SqlConnection tx, UUID id, long expectedVersion, AccountStatus status,
            long overdraftLimit) {
        return tx.preparedQuery(EDIT)
                .execute(Tuple.of(id, expectedVersion, status.name(), overdraftLimit))
                .map(AccountRepository::first);
    }

    /** Accounts in id order after {@code afterId}: the read-model rebuild walks them page by page. */
    public Uni<List<Account>> page(SqlClient client, UUID afterId, int limit) {
        return client.preparedQuery(PAGE)
                .execute(Tuple.of(afterId, limit))
                .map(AccountRepository::all);
    }

    private static Optional<Account> first(RowSet<Row> rows) {
        return rows.rowCount() == 0 ? Optional.empty() : Optional.of(from(rows.iterator().next()));
    }

    private static List<Account> all(RowSet<Row> rows) {
        List<Account> accounts = new ArrayList<>(rows.rowCount());
        rows.forEach(row -> accounts.add(from(row)));
        return accounts;
    }

    static Account from(Row row) {
        return new Account(
                row.getUUID("id"),
                row.getString("owner_id"),
                row.getString("currency"),
                "SYSTEM".equals(row.getString("kind")),
                row.getLong("balance"),
                row.getLong("held"),
                row.getLong("overdraft_limit"),
                AccountStatus.valueOf(row.getString("status")),
                row.getLong("version"));
    }
}
