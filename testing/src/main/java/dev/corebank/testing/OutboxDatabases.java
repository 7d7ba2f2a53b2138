package dev.corebank.testing;

import org.flywaydb.core.Flyway;

/**
 * Fresh databases with the shared schema under db/platform on the test's classpath, migrated as their owning
 * service would: the outbox's tables (outbox-contract), and the inbox's where platform is there too.
 */
public final class OutboxDatabases {

    private OutboxDatabases() {
    }

    /** Creates the database, migrates it as {@code owner}, and returns its name. */
    public static String create(LocalStack stack, FreshDatabases databases, String logicalName, String owner) {
        String name = databases.create(logicalName, owner, "outbox_relay");
        Flyway.configure()
                .dataSource(stack.jdbcUrl(name), owner, "")
                .locations("classpath:db/platform")
                .load()
                .migrate();
        return name;
    }
}
