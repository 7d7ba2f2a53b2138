package dev.corebank.relay;

import dev.corebank.testing.FreshDatabases;
import dev.corebank.testing.LocalStack;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Fresh source databases for the relay under test, owned by the services' roles as in production, with
 * the relay's role allowed to connect. Needs the local stack (bin/stack test): the relay has no Quarkus
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
        OWNERS.forEach((source, owner) -> config.put("corebank.relay.sources." + source + ".url",
                stack.reactiveUrl(databases.create(source, owner, "outbox_relay"))));
        config.put("kafka.bootstrap.servers", stack.kafkaBootstrap());
        return config;
    }

    @Override
    public void stop() {
        if (databases != null) {
            databases.close();
        }
    }
}
