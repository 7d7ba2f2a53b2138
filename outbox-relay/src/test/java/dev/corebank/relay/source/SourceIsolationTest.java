package dev.corebank.relay.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** Each service database belongs to its service; the relay's role reaches it but not its business tables. */
@QuarkusTest
class SourceIsolationTest {

    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    @Inject
    RelayConfig config;

    @Test
    void relay_role_connects_but_cannot_read_a_business_table() throws SQLException {
        String accounts = jdbcUrl("accounts");
        try (Connection owner = DriverManager.getConnection(accounts, "account_svc", "");
                Statement st = owner.createStatement()) {
            st.execute("CREATE TABLE ledger_only (id int)");
        }

        try (Connection relay = DriverManager.getConnection(accounts, "outbox_relay", "");
                Statement st = relay.createStatement()) {
            SQLException denied = assertThrows(SQLException.class, () -> st.executeQuery("SELECT * FROM ledger_only"));
            assertEquals(INSUFFICIENT_PRIVILEGE, denied.getSQLState(), denied.getMessage());
        }
    }

    @Test
    void another_service_cannot_connect_to_a_database_it_does_not_own() {
        SQLException denied = assertThrows(SQLException.class,
                () -> DriverManager.getConnection(jdbcUrl("accounts"), "transfer_svc", "").close());
        assertEquals(INSUFFICIENT_PRIVILEGE, denied.getSQLState(), denied.getMessage());
    }

    private String jdbcUrl(String source) {
        return "jdbc:" + config.sources().get(source).url();
    }
}
