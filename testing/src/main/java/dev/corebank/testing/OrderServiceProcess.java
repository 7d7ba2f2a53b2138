package dev.corebank.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The packaged order-saga-service (target/quarkus-app) as a process of its own, on a database, topics and
 * consumer group that belong to one test or benchmark run, talking to the ledger through that run's topics.
 */
public final class OrderServiceProcess extends QuarkusServiceProcess {

    /**
     * The topics and the consumer group the service uses: the ledger's command and event topics (those of
     * the run's account-service), and its own, fresh for the run.
     */
    public record Names(String ledgerCommands, String ledgerEvents, String orderEvents, String ledgerEventsGroup) {

        /** The benchmark's names for a run whose ledger uses {@code ledger}. */
        public static Names of(String runId, AccountServiceProcess.Names ledger) {
            return new Names(ledger.commands(), ledger.events(), "bench-order-events-" + runId,
                    "bench-orders-" + runId);
        }

        /** The topic this service alone writes (the ledger's belong to account-service's names). */
        public List<String> ownTopics() {
            return List.of(orderEvents);
        }
    }

    private OrderServiceProcess(LocalStack stack, String database, String user, Names names,
            Map<String, String> settings, Path log) throws IOException {
        super(new Packaged("order-saga-service",
                        System.getProperty("order.jar", "order-saga-service/target/quarkus-app/quarkus-run.jar"),
                        "order.opts"),
                stack, database, user, settings(names, settings), log);
    }

    /**
     * Starts the service on {@code database} with {@code names} and further {@code settings} (name to value,
     * e.g. raised rate limits), logging to {@code log} (overwritten), and waits until it reports ready. The jar
     * is the system property {@code order.jar}, else the module's package; {@code order.opts} adds JVM
     * options or settings, e.g. {@code -Dorder.opts=-Xmx512m}.
     */
    public static OrderServiceProcess start(LocalStack stack, String database, String user, Names names,
            Map<String, String> settings, Path log) throws Exception {
        OrderServiceProcess service = new OrderServiceProcess(stack, database, user, names, settings, log);
        service.restart();
        return service;
    }

    private static List<String> settings(Names names, Map<String, String> settings) {
        List<String> all = new ArrayList<>(List.of(
                "-Dcorebank.orders.topics.ledger-commands=" + names.ledgerCommands(),
                "-Dcorebank.orders.topics.ledger-events=" + names.ledgerEvents(),
                "-Dcorebank.orders.topics.order-events=" + names.orderEvents(),
                "-Dmp.messaging.incoming.ledger-events.group.id=" + names.ledgerEventsGroup()));
        settings.forEach((name, value) -> all.add("-D" + name + "=" + value));
        return all;
    }
}
