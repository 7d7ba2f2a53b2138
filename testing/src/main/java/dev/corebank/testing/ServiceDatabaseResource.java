package dev.corebank.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.Optional;

/**
 * Gives a service under test a fresh database of its own plus the local stack's Redis and Kafka, and
 * {@code corebank.test.run-id} to name fresh topics and consumer groups with.
 *
 * <p>Init args: {@code database} (logical name, e.g. {@code accounts}) and {@code owner} (the service's
 * role). With no local stack in the environment it returns nothing and Dev Services take over.
 */
public class ServiceDatabaseResource implements QuarkusTestResourceLifecycleManager {

    private String database;
    private String owner;
    private FreshDatabases databases;

    @Override
    public void init(Map<String, String> initArgs) {
        database = required(initArgs, "database");
        owner = required(initArgs, "owner");
    }

    @Override
    public Map<String, String> start() {
        Optional<LocalStack> local = LocalStack.fromEnvironment();
        if (local.isEmpty()) {
            return Map.of();
        }
        LocalStack stack = local.get();
        databases = new FreshDatabases(stack);
        String name = databases.create(database, owner, "outbox_relay");
        return Map.of(
                "corebank.test.run-id", RunId.VALUE,
                // Ownership checks ask the ledger tests start beside the service (LiveLedger), on this port.
                "corebank.accounts.url", "http://127.0.0.1:" + LiveLedger.port(),
                "quarkus.datasource.username", owner,
                "quarkus.datasource.jdbc.url", stack.jdbcUrl(name),
                "quarkus.datasource.reactive.url", stack.reactiveUrl(name),
                "quarkus.redis.hosts", stack.redisUrl(),
                "kafka.bootstrap.servers", stack.kafkaBootstrap());
    }

    @Override
    public void stop() {
        if (databases != null) {
            databases.close();
        }
    }

    static String required(Map<String, String> args, String name) {
        String value = args.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("test resource arg '" + name + "' is required");
        }
        return value;
    }
}
