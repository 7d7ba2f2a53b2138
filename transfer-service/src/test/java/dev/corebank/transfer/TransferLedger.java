package dev.corebank.transfer;

import dev.corebank.testing.LiveLedger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/** The real ledger beside transfer-service's tests, on this run's topics; one per test JVM. */
final class TransferLedger {

    private static LiveLedger instance;

    private TransferLedger() {
    }

    static synchronized LiveLedger get() {
        if (instance == null) {
            Config config = ConfigProvider.getConfig();
            instance = LiveLedger.start(new LiveLedger.Beside("transfers",
                    config.getValue("corebank.transfers.topics.ledger-commands", String.class),
                    config.getValue("corebank.transfers.topics.ledger-events", String.class),
                    config.getValue("corebank.test.run-id", String.class),
                    config.getValue("quarkus.datasource.reactive.url", String.class)));
        }
        return instance;
    }
}
