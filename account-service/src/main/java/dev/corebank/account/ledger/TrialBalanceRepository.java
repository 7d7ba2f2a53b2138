package dev.corebank.account.ledger;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

@Singleton
public class TrialBalanceRepository {

    // One statement, so accounts and entries are read from one snapshot while postings go on.
    private static final String TRIAL_BALANCE = """
            WITH live AS (
                SELECT account_id,
                       coalesce(sum(-amount) FILTER (WHERE amount < 0), 0) AS debits,
                       coalesce(sum(amount) FILTER (WHERE amount > 0), 0) AS credits
                FROM journal_entries GROUP BY account_id
            ), per_account AS (
                SELECT a.id, a.currency, a.balance,
                       coalesce(l.debits, 0) + coalesce(t.debits, 0) AS debits,
                       coalesce(l.credits, 0) + coalesce(t.credits, 0) AS credits
                FROM accounts a
                LEFT JOIN live l ON l.account_id = a.id
                LEFT JOIN journal_archived_totals t ON t.account_id = a.id
            )
            SELECT currency::text AS currency, count(*) AS accounts, sum(debits)::bigint AS debits,
                   sum(credits)::bigint AS credits, sum(balance)::bigint AS balance_sum,
                   coalesce(jsonb_agg(jsonb_build_object('accountId', id, 'balance', balance,
                                                         'journalBalance', credits - debits))
                            FILTER (WHERE balance <> credits - debits), '[]') AS mismatched
            FROM per_account
            GROUP BY currency
            ORDER BY currency""";

    private final Pool pool;

    public TrialBalanceRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<TrialBalance> compute() {
        return pool.query(TRIAL_BALANCE)
                .execute()
                .map(rows -> {
                    List<TrialBalance.Currency> currencies = new ArrayList<>();
                    rows.forEach(row -> currencies.add(from(row)));
                    return new TrialBalance(currencies);
                });
    }

    private static TrialBalance.Currency from(Row row) {
        List<TrialBalance.Mismatch> mismatches = new ArrayList<>();
        JsonArray mismatched = (JsonArray) row.getValue("mismatched");
        for (int i = 0; i < mismatched.size(); i++) {
            JsonObject m = mismatched.getJsonObject(i);
            mismatches.add(new TrialBalance.Mismatch(UUID.fromString(m.getString("accountId")), m.getLong("balance"),
                    m.getLong("journalBalance")));
        }
        return new TrialBalance.Currency(row.getString("currency"), row.getLong("accounts"), row.getLong("debits"),
                row.getLong("credits"), row.getLong("balance_sum"), mismatches);
    }
}
