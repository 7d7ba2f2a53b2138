package dev.corebank.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Creates throw-away databases for one test run, so no run ever sees what an earlier run left behind.
 *
 * <p>Names are {@code <logical>_test_<epoch-seconds>_<random>}. Databases are dropped when the run ends;
 * those an aborted run could not drop are swept by a later run once they are clearly abandoned.
 */
public final class FreshDatabases implements AutoCloseable {

    private static final Pattern TEST_DATABASE = Pattern.compile("^[a-z]+_test_(\\d+)_[a-z0-9]+$");
    private static final Duration ABANDONED_AFTER = Duration.ofHours(2);

    private final LocalStack stack;
    private final List<String> created = new ArrayList<>();

    public FreshDatabases(LocalStack stack) {
        this.stack = stack;
        try (Connection admin = admin(); Statement st = admin.createStatement()) {
            st.execute(rolesScript());
            sweepAbandoned(st);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare PostgreSQL at " + stack.jdbcUrl("postgres")
                    + " (is it running? see README, Operations)", e);
        }
    }

    /**
     * A new empty database owned by {@code owner} that only the owner (and any {@code alsoConnect} role)
     * may connect to, as in production.
     */
    public String create(String logicalName, String owner, String... alsoConnect) {
        String name = logicalName + "_test_" + Instant.now().getEpochSecond() + "_"
                + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 30), 36);
        try (Connection admin = admin(); Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + name + " OWNER " + owner);
            created.add(name);
            st.execute("REVOKE ALL ON DATABASE " + name + " FROM PUBLIC");
            for (String role : alsoConnect) {
                st.execute("GRANT CONNECT ON DATABASE " + name + " TO " + role);
            }
            return name;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
    }

    @Override
    public void close() {
        try (Connection admin = admin(); Statement st = admin.createStatement()) {
            for (String name : created) {
                st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
            created.clear();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop test databases " + created, e);
        }
    }

    private Connection admin() throws SQLException {
        // The driver directly, not DriverManager: Quarkus restarts apps (test profiles) in new class loaders,
        // and DriverManager hides drivers loaded by a class loader other than the caller's.
        Properties credentials = new Properties();
        credentials.setProperty("user", stack.dbAdminUser());
        return new org.postgresql.Driver().connect(stack.jdbcUrl("postgres"), credentials);
    }

    private static void sweepAbandoned(Statement st) throws SQLException {
        List<String> abandoned = new ArrayList<>();
        long cutoff = Instant.now().minus(ABANDONED_AFTER).getEpochSecond();
        try (ResultSet rs = st.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE '%\\_test\\_%'")) {
            while (rs.next()) {
                Matcher m = TEST_DATABASE.matcher(rs.getString(1));
                if (m.matches() && Long.parseLong(m.group(1)) < cutoff) {
                    abandoned.add(rs.getString(1));
                }
            }
        }
        for (String name : abandoned) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    private static String rolesScript() {
        try (InputStream in = FreshDatabases.class.getResourceAsStream("/corebank/postgres/roles.sql")) {
            if (in == null) {
                throw new IllegalStateException("roles.sql missing from the corebank-testing jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
