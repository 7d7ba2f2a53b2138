package dev.corebank.relay;

import dev.corebank.testing.FreshDatabases;
import dev.corebank.testing.LocalStack;
import org.flywaydb.core.Flyway;

/** Fresh source databases with the platform's outbox schema, migrated as their owning service would. */
final class OutboxSources {

    private OutboxSources() {
    }

    /** Creates the database, migrates it as {@code owner}, and returns its name. */
    static String create(LocalStack stack, FreshDatabases databases, String logicalName, String owner) {
        String name = databases.create(logicalName, owner, "outbox_relay");
        Flyway.configure()
                .dataSource(stack.jdbcUrl(name), owner, "")
                .locations("classpath:db/platform")
                .load()
                .migrate();
        return name;
    }
}
