package dev.corebank.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The real ledger beside a service under test: the packaged account-service on a fresh database of its own,
 * reading and answering on the run's topics, and a packaged relay draining the ledger's outbox and the
 * service's. Started by a test module once per JVM, on first use, and stopped when the JVM exits.
 */
public final class LiveLedger implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Where the service under test lives: its name (for logs and the relay), its ledger topics, the run id,
     * and its database's reactive URL (the relay drains its outbox).
     */
    public record Beside(String service, String commandsTopic, String eventsTopic, String runId, String serviceDatabaseUrl) {
    }

    private final FreshDatabases databases;
    private final AccountServiceProcess ledger;
    private final RelayProcess relay;
    private final String commandsTopic;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LiveLedger(FreshDatabases databases, AccountServiceProcess ledger, RelayProcess relay, String commandsTopic) {
        this.databases = databases;
        this.ledger = ledger;
        this.relay = relay;
        this.commandsTopic = commandsTopic;
    }

    private static int port;

    /**
     * The port the JVM's ledger listens on, chosen before it starts, so that the service under test can be
     * told where to check account ownership before any test starts the ledger.
     */
    public static synchronized int port() {
        if (port == 0) {
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
                port = socket.getLocalPort();
            } catch (java.io.IOException e) {
                throw new IllegalStateException("no free port for the ledger", e);
            }
        }
        return port;
    }

    /** Starts the ledger and the relay for {@code beside}, and stops them when the JVM exits. */
    public static LiveLedger start(Beside beside) {
        LocalStack stack = LocalStack.fromEnvironment().orElseThrow(() -> new IllegalStateException(
                "these tests need the local stack's PostgreSQL, Redis and Kafka: run them with bin/stack test"));
        requireJar("account.jar", "account-service");
        requireJar("relay.jar", "outbox-relay");
        // A restarted ledger takes its partitions back within seconds, not the default 45 s the broker waits for
        // the killed consumer. account.opts is AccountServiceProcess's channel for settings.
        if (System.getProperty("account.opts") == null) {
            System.setProperty("account.opts", "-Dmp.messaging.incoming.ledger-commands.session.timeout.ms=6000,"
                    + "-Dmp.messaging.incoming.ledger-commands.heartbeat.interval.ms=1000");
        }
        FreshDatabases databases = new FreshDatabases(stack);
        AccountServiceProcess ledger = null;
        try {
            String accounts = databases.create("accounts", "account_svc", "outbox_relay");
            String runId = beside.runId();
            ledger = AccountServiceProcess.start(stack, accounts, "account_svc", new AccountServiceProcess.Names(
                    beside.commandsTopic(), beside.eventsTopic(), "ledger.accounts." + runId,
                    "account-service-" + runId, "account-service-read-model-" + runId),
                    Path.of("target", "live-ledger.log"), port());
            RelayProcess relay = RelayProcess.start(beside.service() + "-tests", stack, Map.of(
                    "accounts", stack.reactiveUrl(accounts),
                    beside.service(), beside.serviceDatabaseUrl()),
                    Path.of("target", "live-relay.log"));
            LiveLedger live = new LiveLedger(databases, ledger, relay, beside.commandsTopic());
            Runtime.getRuntime().addShutdownHook(new Thread(live::close, "live-ledger-stop"));
            return live;
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

    /** Opens a test customer's account in {@code currency} and deposits {@code funds} into it (if above zero). */
    public UUID openAccount(String currency, long funds) throws Exception {
        return openAccount("test-customer", currency, funds);
    }

    /** Opens an account in {@code currency} for {@code ownerId} and deposits {@code funds} into it (if above zero). */
    public UUID openAccount(String ownerId, String currency, long funds) throws Exception {
        HttpResponse<String> opened = ledger.post("/accounts",
                "{\"ownerId\":\"" + ownerId + "\",\"currency\":\"" + currency + "\"}", Map.of());
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
    public JsonNode account(UUID id) throws Exception {
        // minVersion far ahead: never the Redis copy, always the database.
        HttpResponse<String> read = ledger.get("/accounts/" + id + "?minVersion=" + Long.MAX_VALUE);
        if (read.statusCode() != 200) {
            throw new IllegalStateException("could not read account " + id + ": " + read.statusCode() + " " + read.body());
        }
        return JSON.readTree(read.body());
    }

    public long balance(UUID id) throws Exception {
        return account(id).get("balance").asLong();
    }

    /** The balance less what holds keep: what the account could spend now (with no overdraft). */
    public long available(UUID id) throws Exception {
        return account(id).get("available").asLong();
    }

    /** The ledger's journal entries of an account, newest first (one page). */
    public JsonNode entries(UUID id) throws Exception {
        return JSON.readTree(ledger.get("/accounts/" + id + "/entries?limit=500").body()).get("entries");
    }

    /** Where the ledger takes its commands (this run's topic). */
    public String commandsTopic() {
        return commandsTopic;
    }

    /** SIGKILL: the ledger goes away mid-whatever, as in a crash. */
    public void kill() throws InterruptedException {
        ledger.kill9();
    }

    public void restart() throws Exception {
        ledger.restart();
    }

    /** Stops the ledger and the relay and drops the ledger's database; later calls do nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
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
