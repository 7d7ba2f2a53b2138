package dev.corebank.relay;

import dev.corebank.testing.FreshDatabases;
import dev.corebank.testing.LocalStack;
import dev.corebank.testing.OutboxDatabases;
import dev.corebank.testing.RunId;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Fresh source databases for the relay under test, owned by the services' roles as in production, with
 * the outbox schema migrated and the relay's role allowed to connect. Needs the local stack (bin/stack test): the relay has no Quarkus
 * datasource for Dev Services to provide.
 */
public class RelaySourcesResource implements QuarkusTestResourceLifecycleManager {

    /** Source name and the role that owns its database. */
    static final Map<String, String> OWNERS = Map.of(
            "accounts", "account_svc",
            "transfers", "transfer_svc",
            "orders", "order_svc");

    private FreshDatabases databases;

    @Override
    public Map<String, String> start() {
        Optional<LocalStack> local = LocalStack.fromEnvironment();
        if (local.isEmpty()) {
            return Map.of();
        }
        LocalStack stack = local.get();
        databases = new FreshDatabases(stack);
        Map<String, String> config = new HashMap<>();
        OWNERS.forEach((source, owner) -> {
            String database = OutboxDatabases.create(stack, databases, source, owner);
            config.put("corebank.relay.sources." + source + ".url", stack.reactiveUrl(database));
        });
        config.put("kafka.bootstrap.servers", stack.kafkaBootstrap());
        config.put("corebank.test.run-id", RunId.VALUE);
        return config;
    }

    @Override
    public void stop() {
        if (databases != null) {
            databases.close();
        }
    }
}
