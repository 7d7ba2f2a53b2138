package dev.corebank.bench;

import dev.corebank.testing.AccountServiceProcess;
import dev.corebank.testing.FreshDatabases;
import dev.corebank.testing.LedgerClientProcess;
import dev.corebank.testing.LocalStack;
import dev.corebank.testing.QuarkusServiceProcess;
import dev.corebank.testing.RelayProcess;
import dev.corebank.testing.RunId;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * What an HTTP benchmark of a ledger client runs against, all of it the run's own: fresh databases and topics,
 * account-service (the ledger), the service under test, and one relay draining both outboxes, as packaged
 * processes, plus a JDBC connection to the service's database for its own view of the run. The relay starts last:
 * it drains outbox tables that the services' migrations create. Closing stops them all, drops what the run made,
 * and prints what each process's log said.
 */
final class LedgerClientRig implements AutoCloseable {

    private static final String LEDGER_OWNER = "account_svc";
    private static final String RELAY_ROLE = "outbox_relay";

    final LedgerClientProcess.Service kind;
    /** The topics and consumer group the service uses. */
    final LedgerClientProcess.Names names;
    final AccountServiceProcess ledger;
    final LedgerClientProcess service;
    final RelayProcess relay;
    /** The service's database, as its owner. */
    final Connection db;

    private final List<AutoCloseable> opened;
    private final Map<String, Path> logs;

    private LedgerClientRig(LedgerClientProcess.Service kind, LedgerClientProcess.Names names,
            AccountServiceProcess ledger, LedgerClientProcess service, RelayProcess relay, Connection db,
            List<AutoCloseable> opened, Map<String, Path> logs) {
        this.kind = kind;
        this.names = names;
        this.ledger = ledger;
        this.service = service;
        this.relay = relay;
        this.db = db;
        this.opened = opened;
        this.logs = logs;
    }

    /**
     * Starts {@code kind} as {@code owner} with {@code settings} (name to value), beside its ledger and a relay,
     * and prints what runs where. Logs go to {@code .stack/logs/bench-<source>-<process>.log}.
     */
    static LedgerClientRig start(LocalStack stack, LedgerClientProcess.Service kind, String owner,
            Map<String, String> settings) throws Exception {
        AccountServiceProcess.Names ledgerNames = AccountServiceProcess.Names.of(RunId.VALUE);
        LedgerClientProcess.Names names = LedgerClientProcess.Names.of(kind, RunId.VALUE, ledgerNames);
        Map<String, Path> logs = new LinkedHashMap<>();
        for (String process : processes(kind)) {
            logs.put(process, log(kind, process));
        }
        List<String> topics = new ArrayList<>(ledgerNames.topics());
        topics.addAll(names.ownTopics());
        // Closed in reverse: processes first, then topics, then databases.
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            FreshDatabases databases = new FreshDatabases(stack);
            opened.add(databases);
            String ledgerDatabase = databases.create("accounts", LEDGER_OWNER, RELAY_ROLE);
            String serviceDatabase = databases.create(kind.sourceName(), owner, RELAY_ROLE);
            Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()));
            opened.add(admin);
            // Created up front with the broker's defaults, so no service waits for auto-creation.
            admin.createTopics(topics.stream().map(topic -> new NewTopic(topic, Optional.empty(), Optional.empty())).toList())
                    .all().get(30, TimeUnit.SECONDS);
            opened.add(() -> admin.deleteTopics(topics).all().get(30, TimeUnit.SECONDS));
            AccountServiceProcess ledger = AccountServiceProcess.start(stack, ledgerDatabase, LEDGER_OWNER, ledgerNames,
                    logs.get("account-service"));
            opened.add(ledger);
            LedgerClientProcess service = LedgerClientProcess.start(kind, stack, serviceDatabase, owner, names, settings,
                    logs.get(kind.module()));
            opened.add(service);
            RelayProcess relay = RelayProcess.start("bench", stack, Map.of("accounts", stack.reactiveUrl(ledgerDatabase),
                    kind.sourceName(), stack.reactiveUrl(serviceDatabase)), logs.get("relay"));
            opened.add(relay);
            Connection db = DriverManager.getConnection(stack.jdbcUrl(serviceDatabase), owner, "");
            opened.add(db);
            System.out.printf("%s on %s, %s on %s, %s draining both; services' JVM %s%n", service, serviceDatabase,
                    ledger, ledgerDatabase, relay, String.join(" ", QuarkusServiceProcess.JVM));
            return new LedgerClientRig(kind, names, ledger, service, relay, db, opened, logs);
        } catch (Exception e) {
            closeAll(opened);
            throw e;
        }
    }

    /** The names of the processes under test, in logs and in {@link #cpu()}'s figures. */
    List<String> processes() {
        return processes(kind);
    }

    /** The CPU of the three processes under test and of this client, as {@link CpuAccount} names them. */
    CpuAccount cpu() {
        return new CpuAccount(Map.entry(kind.module(), service.pid()),
                Map.entry("account-service", ledger.pid()), Map.entry("relay", relay.pid()),
                Map.entry("benchmark client", ProcessHandle.current().pid()));
    }

    @Override
    public void close() throws Exception {
        try {
            closeAll(opened);
        } finally {
            for (Map.Entry<String, Path> log : logs.entrySet()) {
                System.out.println(LogFindings.of(log.getKey(), log.getValue()));
            }
        }
    }

    private static void closeAll(List<AutoCloseable> opened) throws Exception {
        Exception first = null;
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static List<String> processes(LedgerClientProcess.Service kind) {
        return List.of("account-service", kind.module(), "relay");
    }

    private static Path log(LedgerClientProcess.Service kind, String process) {
        return Path.of(".stack", "logs", "bench-" + kind.sourceName() + "-" + process + ".log");
    }
}
