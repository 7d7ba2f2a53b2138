package dev.corebank.testing;

import org.flywaydb.core.Flyway;

/** Fresh databases with the platform's outbox and inbox schema, migrated as their owning service would. */
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
