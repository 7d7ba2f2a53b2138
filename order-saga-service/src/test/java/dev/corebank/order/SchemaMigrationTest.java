package dev.corebank.order;

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
    void flyway_created_the_products_table_at_start_up() {
        Row row = pool.query("""
                        SELECT to_regclass('public.products') IS NOT NULL AS present,
                               (SELECT count(*) FROM flyway_schema_history WHERE success) AS applied,
                               (SELECT count(*) FROM flyway_schema_history WHERE NOT success) AS failed
                        """)
                .execute()
                .await().atMost(Duration.ofSeconds(10))
                .iterator().next();

        assertTrue(row.getBoolean("present"), "table products exists");
        assertTrue(row.getLong("applied") >= 1, "at least one migration applied");
        assertEquals(0L, row.getLong("failed"), "no failed migration");
    }
}
