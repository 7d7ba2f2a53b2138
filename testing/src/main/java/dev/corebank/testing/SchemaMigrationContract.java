package dev.corebank.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Flyway ran at start-up: the service's own tables and the platform's outbox and inbox exist, and no
 * migration failed. A service's test extends this and names its tables.
 */
public abstract class SchemaMigrationContract {

    private static final String CHECK = """
            SELECT to_regclass('public.outbox') IS NOT NULL AND to_regclass('public.inbox') IS NOT NULL
                       AS platform_tables,
                   (SELECT array_agg(t) FROM unnest($1::text[]) AS t WHERE to_regclass('public.' || t) IS NULL)
                       AS missing,
                   (SELECT count(*) FROM flyway_schema_history WHERE success) AS applied,
                   (SELECT count(*) FROM flyway_schema_history WHERE NOT success) AS failed
            """;

    @Inject
    protected Pool pool;

    /** The tables the service's own migrations create (at least one). */
    protected abstract List<String> serviceTables();

    @Test
    void flyway_created_the_service_tables_at_start_up() {
        Row row = pool.preparedQuery(CHECK)
                .execute(Tuple.of(serviceTables().toArray(String[]::new)))
                .await().atMost(Duration.ofSeconds(10))
                .iterator().next();

        assertNull(row.getArrayOfStrings("missing"), "tables missing of " + serviceTables());
        assertTrue(row.getBoolean("platform_tables"), "the platform's outbox and inbox tables exist");
        assertTrue(row.getLong("applied") >= 3, "the service's and the platform's migrations applied");
        assertEquals(0L, row.getLong("failed"), "no failed migration");
    }
}
