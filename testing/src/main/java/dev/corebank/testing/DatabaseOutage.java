package dev.corebank.testing;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Takes one test database away from its service and gives it back, as a PostgreSQL restart does for that
 * service, without stopping the server other tests share: while away, the database takes no connection
 * ({@code CONNECTION LIMIT 0}: new ones are refused with 53300, too many connections) and the ones open are
 * ended (57P01, as at a fast shutdown).
 */
public final class DatabaseOutage implements AutoCloseable {

    private final LocalStack stack;
    private final String database;

    private DatabaseOutage(LocalStack stack, String database) {
        this.stack = stack;
        this.database = database;
    }

    /** Begins an outage of the database that {@code reactiveUrl} names; {@link #close} ends it. */
    public static DatabaseOutage begin(String reactiveUrl) {
        LocalStack stack = LocalStack.fromEnvironment()
                .orElseThrow(() -> new IllegalStateException("a database outage needs the local stack (bin/stack env)"));
        String database = URI.create(reactiveUrl).getPath().substring(1);
        DatabaseOutage outage = new DatabaseOutage(stack, database);
        outage.run("ALTER DATABASE \"" + database + "\" CONNECTION LIMIT 0",
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");
        return outage;
    }

    @Override
    public void close() {
        run("ALTER DATABASE \"" + database + "\" CONNECTION LIMIT -1");
    }

    private void run(String... statements) {
        try (Connection admin = DriverManager.getConnection(stack.jdbcUrl("postgres"), stack.dbAdminUser(), "");
                Statement st = admin.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not change database " + database + ": " + e.getMessage(), e);
        }
    }
}
