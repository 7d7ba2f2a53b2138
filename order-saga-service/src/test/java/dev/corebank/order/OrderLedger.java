package dev.corebank.order;

import dev.corebank.testing.LiveLedger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/** The real ledger beside order-saga-service's tests, on this run's topics; one per test JVM. */
final class OrderLedger {

    private static LiveLedger instance;

    private OrderLedger() {
    }

    static synchronized LiveLedger get() {
        if (instance == null) {
            Config config = ConfigProvider.getConfig();
            instance = LiveLedger.start(new LiveLedger.Beside("orders",
                    config.getValue("corebank.orders.topics.ledger-commands", String.class),
                    config.getValue("corebank.orders.topics.ledger-events", String.class),
                    config.getValue("corebank.test.run-id", String.class),
                    config.getValue("quarkus.datasource.reactive.url", String.class)));
        }
        return instance;
    }
}
