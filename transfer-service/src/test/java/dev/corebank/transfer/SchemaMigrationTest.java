package dev.corebank.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corebank.testing.SchemaMigrationContract;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Row;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SchemaMigrationTest extends SchemaMigrationContract {

    @ConfigProperty(name = "corebank.transfers.partition-months-ahead")
    int monthsAhead;

    @Override
    protected List<String> serviceTables() {
        return List.of("transfers");
    }

    @Test
    void the_current_month_and_the_configured_months_ahead_have_partitions() {
        Row row = pool.query("""
                        SELECT count(*) FILTER (WHERE c.relname ~ '^transfers_y[0-9]{4}m[0-9]{2}$') AS months,
                               count(*) FILTER (WHERE c.relname = 'transfers_y' || to_char(now() AT TIME ZONE 'UTC', 'YYYY')
                                                || 'm' || to_char(now() AT TIME ZONE 'UTC', 'MM')) AS current_month
                        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                        WHERE i.inhparent = 'transfers'::regclass
                        """)
                .execute()
                .await().atMost(Duration.ofSeconds(10))
                .iterator().next();

        assertEquals(1L, row.getLong("current_month"));
        assertTrue(row.getLong("months") >= 1 + monthsAhead,
                "this month and " + monthsAhead + " ahead: " + row.getLong("months"));
    }

    @Test
    void the_sweeper_finds_pending_transfers_through_the_partial_index() {
        // Whether the planner may use it, not whether it prefers it on a table this small.
        String plan = String.join("\n", pool.withTransaction(tx -> tx.query("SET LOCAL enable_seqscan = off").execute()
                        .chain(() -> tx.query("""
                                EXPLAIN SELECT id FROM transfers WHERE status = 'PENDING' AND last_sent_at < now()
                                ORDER BY last_sent_at LIMIT 500""").execute()))
                .await().atMost(Duration.ofSeconds(10))
                .stream().map(r -> r.getString(0)).toList());

        assertTrue(plan.contains("transfers_pending") || plan.contains("_last_sent_at_idx"), plan);
    }
}
