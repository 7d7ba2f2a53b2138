package dev.corebank.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SchemaMigrationTest {

    @Inject
    Pool pool;

    @Test
    void flyway_created_the_transfers_table_at_start_up() {
        Row row = pool.query("""
                        SELECT to_regclass('public.outbox') IS NOT NULL AND to_regclass('public.inbox') IS NOT NULL
                                   AS platform_tables,
                               to_regclass('public.transfers') IS NOT NULL AS present,
                               (SELECT count(*) FROM flyway_schema_history WHERE success) AS applied,
                               (SELECT count(*) FROM flyway_schema_history WHERE NOT success) AS failed
                        """)
                .execute()
                .await().atMost(Duration.ofSeconds(10))
                .iterator().next();

        assertTrue(row.getBoolean("present"), "table transfers exists");
        assertTrue(row.getBoolean("platform_tables"), "the platform's outbox and inbox tables exist");
        assertTrue(row.getLong("applied") >= 3, "the service's and the platform's migrations applied");
        assertEquals(0L, row.getLong("failed"), "no failed migration");
    }
}
