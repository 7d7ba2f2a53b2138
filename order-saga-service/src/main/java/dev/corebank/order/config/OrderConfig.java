package dev.corebank.order.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** order-saga-service's settings. */
@ConfigMapping(prefix = "corebank.orders")
public interface OrderConfig {

    /** Longest {@code Prefer: wait} honoured; longer waits are cut to this. */
    @WithDefault("PT30S")
    Duration maxWait();

    /** Largest order total, in minor units: the ledger's largest amount. */
    @WithDefault("1000000000000")
    long maxTotal();

    Saga saga();

    Batching batching();

    Idempotency idempotency();

    Topics topics();

    /**
     * The services (outbox source names, as the relay stamps them in {@code ce_source}) allowed to send the
     * ledger's hold events. An event from any other source, or from none, is never applied: it goes to
     * {@code ledger.events.dlt} and is counted in {@code messages_untrusted_total}.
     */
    @WithDefault("accounts")
    List<String> ledgerSenders();

    /** Deadlines, re-sends and compensation of each order's saga. */
    interface Saga {

        /** How long the ledger may take to answer a step's command before it is sent again. */
        @WithDefault("PT10S")
        Duration stepTimeout();

        /** Longest wait between two sends of one command: the wait doubles from step-timeout up to this. */
        @WithDefault("PT2M")
        Duration maxBackoff();

        /** Re-sends of a forward step's command (PlaceHold, CaptureHold) before the saga compensates. */
        @WithDefault("3")
        int maxResends();

        /** Re-sends of a compensation (VoidHold) before the saga goes FAILED and waits for an operator. */
        @WithDefault("10")
        int maxCompensationResends();

        /** How long the customer's money stays held for an order; the ledger releases it after that. */
        @WithDefault("PT15M")
        Duration holdTtl();

        /** How often overdue sagas are looked for (read by SagaSweeper's schedule). */
        @WithDefault("PT1S")
        Duration sweepInterval();

        /** Overdue sagas handled per sweep transaction. */
        @WithDefault("200")
        int sweepBatch();
    }

    /** Concurrent POST /orders share accepting transactions (see GroupCommit). */
    interface Batching {

        /** Most orders one accepting transaction takes. */
        @WithDefault("128")
        int maxSize();

        /** Most accepting transactions at once; requests beyond them queue for the next. */
        @WithDefault("2")
        int maxInFlight();

        /**
         * Most requests waiting for a transaction, more are refused at once with 503 rather than
         * queue without bound while the database is slow or away.
         */
        @WithDefault("4096")
        int maxQueued();
    }

    interface Idempotency {

        /** How long a key is remembered: a retry within this time gets the same order. */
        @WithDefault("PT24H")
        Duration retention();

        /** How often keys past their retention are deleted (read by KeyPurge's schedule). */
        @WithDefault("PT10M")
        Duration purgeInterval();
    }

    interface Topics {

        /** Where the saga sends PlaceHold, CaptureHold and VoidHold. */
        @WithDefault("ledger.commands")
        String ledgerCommands();

        /** Where the ledger answers (read through the ledger-events channel). */
        @WithDefault("ledger.events")
        String ledgerEvents();

        /** Where OrderConfirmed and OrderCancelled go. */
        @WithDefault("order.events")
        String orderEvents();
    }
}
