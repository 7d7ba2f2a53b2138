package dev.corebank.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corebank.testing.AccountServiceProcess;
import dev.corebank.testing.FreshDatabases;
import dev.corebank.testing.LocalStack;
import dev.corebank.testing.RelayProcess;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The real ledger beside the service under test: the packaged account-service on a fresh database of its
 * own, reading and answering on this run's topics, and a packaged relay draining both services' outboxes.
 * Started once per test JVM, on first use, and stopped when the JVM exits.
 */
final class LiveLedger {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static LiveLedger instance;

    private final FreshDatabases databases;
    private final AccountServiceProcess ledger;
    private final RelayProcess relay;

    private LiveLedger(FreshDatabases databases, AccountServiceProcess ledger, RelayProcess relay) {
        this.databases = databases;
        this.ledger = ledger;
        this.relay = relay;
    }

    static synchronized LiveLedger get() {
        if (instance == null) {
            instance = start();
            Runtime.getRuntime().addShutdownHook(new Thread(instance::stop));
        }
        return instance;
    }

    private static LiveLedger start() {
        LocalStack stack = LocalStack.fromEnvironment().orElseThrow(() -> new IllegalStateException(
                "these tests need the local stack's PostgreSQL, Redis and Kafka: run them with bin/stack test"));
        Config config = ConfigProvider.getConfig();
        String runId = config.getValue("corebank.test.run-id", String.class);
        requireJar("account.jar", "account-service");
        requireJar("relay.jar", "outbox-relay");
        // A restarted ledger (LedgerOutageTest) takes its partitions back within seconds, not the default 45 s
        // the broker waits for the killed consumer. account.opts is AccountServiceProcess's channel for settings.
        if (System.getProperty("account.opts") == null) {
            System.setProperty("account.opts", "-Dmp.messaging.incoming.ledger-commands.session.timeout.ms=6000,"
                    + "-Dmp.messaging.incoming.ledger-commands.heartbeat.interval.ms=1000");
        }
        FreshDatabases databases = new FreshDatabases(stack);
        AccountServiceProcess ledger = null;
        try {
            String accounts = databases.create("accounts", "account_svc", "outbox_relay");
            ledger = AccountServiceProcess.start(stack, accounts, "account_svc", new AccountServiceProcess.Names(
                    config.getValue("corebank.transfers.topics.ledger-commands", String.class),
                    config.getValue("corebank.transfers.topics.ledger-events", String.class),
                    "ledger.accounts." + runId, "account-service-" + runId, "account-service-read-model-" + runId),
                    Path.of("target", "live-ledger.log"));
            RelayProcess relay = RelayProcess.start("transfer-tests", stack, Map.of(
                    "accounts", stack.reactiveUrl(accounts),
                    "transfers", config.getValue("quarkus.datasource.reactive.url", String.class)),
                    Path.of("target", "live-relay.log"));
            return new LiveLedger(databases, ledger, relay);
        } catch (Exception e) {
            try {
                if (ledger != null) {
                    ledger.close();
                }
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            databases.close();
            throw new IllegalStateException("could not start the ledger beside the tests", e);
        }
    }

    private static void requireJar(String property, String module) {
        String jar = System.getProperty(property);
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("no packaged " + module + " at " + jar + ": build it first (mvn package -pl "
                    + module + " -DskipTests), or run the whole build");
        }
    }

    /** Opens a customer account in {@code currency} and deposits {@code funds} into it (if above zero). */
    UUID openAccount(String currency, long funds) throws Exception {
        HttpResponse<String> opened = ledger.post("/accounts",
                "{\"ownerId\":\"transfer-tests\",\"currency\":\"" + currency + "\"}", Map.of());
        if (opened.statusCode() != 201) {
            throw new IllegalStateException("could not open an account: " + opened.statusCode() + " " + opened.body());
        }
        UUID id = UUID.fromString(JSON.readTree(opened.body()).get("id").asText());
        if (funds > 0) {
            HttpResponse<String> deposited = ledger.post("/accounts/" + id + "/deposits", "{\"amount\":" + funds + "}",
                    Map.of("Idempotency-Key", UUID.randomUUID().toString()));
            if (deposited.statusCode() != 201) {
                throw new IllegalStateException("could not deposit: " + deposited.statusCode() + " " + deposited.body());
            }
        }
        return id;
    }

    /** The account as the ledger's database has it now. */
    JsonNode account(UUID id) throws Exception {
        // minVersion far ahead: never the Redis copy, always the database.
        HttpResponse<String> read = ledger.get("/accounts/" + id + "?minVersion=" + Long.MAX_VALUE);
        if (read.statusCode() != 200) {
            throw new IllegalStateException("could not read account " + id + ": " + read.statusCode() + " " + read.body());
        }
        return JSON.readTree(read.body());
    }

    long balance(UUID id) throws Exception {
        return account(id).get("balance").asLong();
    }

    /** The ledger's journal entries of an account, newest first (one page). */
    JsonNode entries(UUID id) throws Exception {
        return JSON.readTree(ledger.get("/accounts/" + id + "/entries?limit=500").body()).get("entries");
    }

    /** Where the ledger takes its commands (this run's topic). */
    static String commandsTopic() {
        return ConfigProvider.getConfig().getValue("corebank.transfers.topics.ledger-commands", String.class);
    }

    void kill() throws InterruptedException {
        ledger.kill9();
    }

    void restart() throws Exception {
        ledger.restart();
    }

    private void stop() {
        try {
            relay.close();
            ledger.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            databases.close();
        }
    }
}
