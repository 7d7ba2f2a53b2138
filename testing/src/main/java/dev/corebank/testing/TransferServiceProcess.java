package dev.corebank.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The packaged transfer-service (target/quarkus-app) as a process of its own, on a database, topics and
 * consumer group that belong to one test or benchmark run, talking to the ledger through that run's topics.
 */
public final class TransferServiceProcess extends QuarkusServiceProcess {

    /**
     * The topics and the consumer group the service uses: the ledger's command and event topics (those of
     * the run's account-service), and its own, fresh for the run.
     */
    public record Names(String ledgerCommands, String ledgerEvents, String transferEvents, String ledgerEventsGroup) {

        /** The benchmark's names for a run whose ledger uses {@code ledger}. */
        public static Names of(String runId, AccountServiceProcess.Names ledger) {
            return new Names(ledger.commands(), ledger.events(), "bench-transfer-events-" + runId,
                    "bench-transfers-" + runId);
        }

        /** The topic this service alone writes (the ledger's belong to account-service's names). */
        public List<String> ownTopics() {
            return List.of(transferEvents);
        }
    }

    private TransferServiceProcess(LocalStack stack, String database, String user, Names names,
            Map<String, String> settings, Path log) throws IOException {
        super(new Packaged("transfer-service",
                        System.getProperty("transfer.jar", "transfer-service/target/quarkus-app/quarkus-run.jar"),
                        "transfer.opts"),
                stack, database, user, settings(names, settings), log);
    }

    /**
     * Starts the service on {@code database} with {@code names} and further {@code settings} (name to value,
     * e.g. raised rate limits), logging to {@code log} (overwritten), and waits until it reports ready. The jar
     * is the system property {@code transfer.jar}, else the module's package; {@code transfer.opts} adds JVM
     * options or settings, e.g. {@code -Dtransfer.opts=-Xmx512m}.
     */
    public static TransferServiceProcess start(LocalStack stack, String database, String user, Names names,
            Map<String, String> settings, Path log) throws Exception {
        TransferServiceProcess service = new TransferServiceProcess(stack, database, user, names, settings, log);
        service.restart();
        return service;
    }

    private static List<String> settings(Names names, Map<String, String> settings) {
        List<String> all = new ArrayList<>(List.of(
                "-Dcorebank.transfers.topics.ledger-commands=" + names.ledgerCommands(),
                "-Dcorebank.transfers.topics.ledger-events=" + names.ledgerEvents(),
                "-Dcorebank.transfers.topics.transfer-events=" + names.transferEvents(),
                "-Dmp.messaging.incoming.ledger-events.group.id=" + names.ledgerEventsGroup()));
        settings.forEach((name, value) -> all.add("-D" + name + "=" + value));
        return all;
    }
}
