package dev.corebank.platform.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the server says each connection runs under, asked through the pools themselves: the test app sets
 * {@code corebank.db.statement-timeout=25s} and leaves the rest at the platform's defaults.
 */
@QuarkusTest
class DatabaseTimeoutsTest {

    private static final List<String> SETTINGS = List.of("statement_timeout", "idle_in_transaction_session_timeout",
            "tcp_keepalives_idle", "tcp_keepalives_interval", "tcp_keepalives_count");

    @Inject
    Pool pool;

    @Inject
    AgroalDataSource flyway;

    @Test
    void every_reactive_connection_runs_with_the_configured_limits_and_keepalive() {
        Map<String, String> shown = new LinkedHashMap<>();
        for (String setting : SETTINGS) {
            Row row = pool.query("SHOW " + setting).execute().await().atMost(Duration.ofSeconds(10)).iterator().next();
            shown.put(setting, row.getString(0));
        }

        assertEquals(Map.of("statement_timeout", "25s", "idle_in_transaction_session_timeout", "1min",
                "tcp_keepalives_idle", "60", "tcp_keepalives_interval", "10", "tcp_keepalives_count", "6"), shown);
    }

    @Test
    void the_migration_datasource_has_its_longer_statement_limit_and_the_same_idle_and_keepalive_limits()
            throws Exception {
        Map<String, String> shown = new LinkedHashMap<>();
        try (Connection connection = flyway.getConnection(); Statement statement = connection.createStatement()) {
            for (String setting : SETTINGS) {
                try (ResultSet result = statement.executeQuery("SHOW " + setting)) {
                    result.next();
                    shown.put(setting, result.getString(1));
                }
            }
        }

        assertEquals(Map.of("statement_timeout", "5min", "idle_in_transaction_session_timeout", "1min",
                "tcp_keepalives_idle", "60", "tcp_keepalives_interval", "10", "tcp_keepalives_count", "6"), shown);
    }
}
