package dev.corebank.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The packaged account-service (target/quarkus-app) as a process of its own, on a database, topics and
 * consumer groups that belong to one test or benchmark run. It can be killed and started again, on the
 * same port, to show what its clients do while the ledger is away.
 */
public final class AccountServiceProcess extends QuarkusServiceProcess {

    /** The topics and consumer groups the service reads and writes, fresh for the run. */
    public record Names(String commands, String events, String accounts, String commandsGroup, String readModelGroup) {

        /** The benchmark's names for a run. */
        public static Names of(String runId) {
            return new Names("bench-ledger-commands-" + runId, "bench-ledger-events-" + runId,
                    "bench-ledger-accounts-" + runId, "bench-ledger-" + runId, "bench-ledger-read-model-" + runId);
        }

        /** Where the service sends commands it cannot apply (its own naming: the command topic plus .dlt). */
        public String deadLetters() {
            return commands + ".dlt";
        }

        public List<String> topics() {
            return List.of(commands, deadLetters(), events, accounts);
        }
    }

    private AccountServiceProcess(LocalStack stack, String database, String user, Names names, Path log, int port)
            throws IOException {
        super(new Packaged("account-service",
                        System.getProperty("account.jar", "account-service/target/quarkus-app/quarkus-run.jar"),
                        "account.opts"),
                stack, database, user, List.of(
                        "-Dcorebank.ledger.topics.commands=" + names.commands(),
                        "-Dcorebank.ledger.topics.events=" + names.events(),
                        "-Dcorebank.ledger.topics.accounts=" + names.accounts(),
                        "-Dmp.messaging.incoming.ledger-commands.group.id=" + names.commandsGroup(),
                        "-Dmp.messaging.incoming.account-changes.group.id=" + names.readModelGroup()),
                log, port);
    }

    /**
     * Starts the service on {@code database} with {@code names}, logging to {@code log} (overwritten), and
     * waits until it reports ready. The jar is the system property {@code account.jar}, else the module's
     * package; {@code account.opts} adds JVM options or settings, e.g. {@code -Daccount.opts=-Xmx512m}.
     */
    public static AccountServiceProcess start(LocalStack stack, String database, String user, Names names, Path log)
            throws Exception {
        return start(stack, database, user, names, log, 0);
    }

    /** As above, on {@code port} (0: any free one). */
    public static AccountServiceProcess start(LocalStack stack, String database, String user, Names names, Path log,
            int port) throws Exception {
        AccountServiceProcess service = new AccountServiceProcess(stack, database, user, names, log, port);
        service.restart();
        return service;
    }
}
