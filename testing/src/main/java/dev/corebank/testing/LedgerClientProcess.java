package dev.corebank.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A packaged service that drives the ledger through its topics (transfer-service or order-saga-service,
 * target/quarkus-app) as a process of its own, on a database, topics and consumer group that belong to one test
 * or benchmark run, talking to the ledger through that run's topics.
 */
public final class LedgerClientProcess extends QuarkusServiceProcess {

    /** Which service: its module, the prefix of its jar and options properties, where its config names topics. */
    public enum Service {
        TRANSFERS("transfer-service", "transfer", "corebank.transfers"),
        ORDERS("order-saga-service", "order", "corebank.orders");

        private final String module;
        private final String shortName;
        private final String configPrefix;

        Service(String module, String shortName, String configPrefix) {
            this.module = module;
            this.shortName = shortName;
            this.configPrefix = configPrefix;
        }

        /** The service's name, its module's. */
        public String module() {
            return module;
        }

        /** Its outbox's source name, which is also its database's logical name: {@code transfers}, {@code orders}. */
        public String sourceName() {
            return shortName + "s";
        }

        /** The jar is the system property {@code <short>.jar}, else the module's package. */
        private Packaged packaged() {
            return new Packaged(module,
                    System.getProperty(shortName + ".jar", module + "/target/quarkus-app/quarkus-run.jar"),
                    shortName + ".opts");
        }
    }

    /**
     * The topics and the consumer group the service uses: the ledger's command and event topics (those of
     * the run's account-service), and its own events' topic, fresh for the run.
     */
    public record Names(String ledgerCommands, String ledgerEvents, String ownEvents, String ledgerEventsGroup) {

        /** The benchmark's names for {@code service} in a run whose ledger uses {@code ledger}. */
        public static Names of(Service service, String runId, AccountServiceProcess.Names ledger) {
            return new Names(ledger.commands(), ledger.events(), "bench-" + service.shortName + "-events-" + runId,
                    "bench-" + service.shortName + "s-" + runId);
        }

        /** The topic this service alone writes (the ledger's belong to account-service's names). */
        public List<String> ownTopics() {
            return List.of(ownEvents);
        }
    }

    private LedgerClientProcess(Service service, LocalStack stack, String database, String user, Names names,
            Map<String, String> settings, Path log) throws IOException {
        super(service.packaged(), stack, database, user, settings(service, names, settings), log);
    }

    /**
     * Starts {@code service} on {@code database} with {@code names} and further {@code settings} (name to value,
     * e.g. raised rate limits), logging to {@code log} (overwritten), and waits until it reports ready. The
     * system property {@code <short>.opts} (say {@code -Dorder.opts=-Xmx512m}) adds JVM options or settings.
     */
    public static LedgerClientProcess start(Service service, LocalStack stack, String database, String user,
            Names names, Map<String, String> settings, Path log) throws Exception {
        LedgerClientProcess process = new LedgerClientProcess(service, stack, database, user, names, settings, log);
        process.restart();
        return process;
    }

    private static List<String> settings(Service service, Names names, Map<String, String> settings) {
        String topics = "-D" + service.configPrefix + ".topics.";
        List<String> all = new ArrayList<>(List.of(
                topics + "ledger-commands=" + names.ledgerCommands(),
                topics + "ledger-events=" + names.ledgerEvents(),
                topics + service.shortName + "-events=" + names.ownEvents(),
                "-Dmp.messaging.incoming.ledger-events.group.id=" + names.ledgerEventsGroup()));
        settings.forEach((name, value) -> all.add("-D" + name + "=" + value));
        return all;
    }
}
