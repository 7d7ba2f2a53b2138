package dev.corebank.transfer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** transfer-service's settings. */
@ConfigMapping(prefix = "corebank.transfers")
public interface TransferConfig {

    /** Largest amount one transfer may move, in minor units. */
    @WithDefault("1000000000000")
    long maxAmount();

    /** Longest {@code Prefer: wait} honoured; longer waits are cut to this. */
    @WithDefault("PT30S")
    Duration maxWait();

    /** Month partitions of {@code transfers} kept ready beyond the current month. */
    @WithDefault("3")
    int partitionMonthsAhead();

    Batching batching();

    Idempotency idempotency();

    Sweeper sweeper();

    RateLimits rateLimits();

    Topics topics();

    /**
     * The services (outbox source names, as the relay stamps them in {@code ce_source}) allowed to send the
     * ledger's answers. An answer from any other source, or from none, is never applied: it goes to
     * {@code ledger.events.dlt} and is counted in {@code messages_untrusted_total}.
     */
    @WithDefault("accounts")
    List<String> ledgerSenders();

    /**
     * Concurrent requests' writes share transactions (see GroupCommit): accepting transfers, and storing the
     * answers of requests whose wait ran out. Under light load each request still has a transaction of its own.
     */
    interface Batching {

        /** Most requests one transaction serves. */
        @WithDefault("128")
        int maxSize();

        /** Most such transactions at once, of each kind; requests beyond them queue for the next. */
        @WithDefault("4")
        int maxInFlight();

        /**
         * Most requests waiting for a transaction, of each kind; more are refused at once with 503 rather than
         * queue without bound while the database is slow or away.
         */
        @WithDefault("4096")
        int maxQueued();
    }

    interface Idempotency {

        /** How long a key is remembered: a retry within this time gets the first answer. */
        @WithDefault("PT24H")
        Duration retention();

        /** How often keys past their retention are deleted. */
        @WithDefault("PT10M")
        Duration purgeInterval();

        /** Rows deleted per purge statement, so a purge never holds many locks or a long transaction. */
        @WithDefault("5000")
        int purgeBatch();
    }

    interface Sweeper {

        /** A transfer still PENDING this long after its command was last sent has it sent again. */
        @WithDefault("PT30S")
        Duration resendAfter();

        /** Longest wait between two sends of one command: the wait doubles from resend-after up to this. */
        @WithDefault("PT5M")
        Duration maxBackoff();

        /** How often the sweeper looks. */
        @WithDefault("PT5S")
        Duration interval();

        /** Most commands one sweep re-sends. */
        @WithDefault("500")
        int batch();
    }

    /** Token buckets in Redis: {@code capacity} requests at once, refilled at {@code perSecond}. */
    interface RateLimits {

        /** Per source account, whoever the caller (only its owner and tellers get past the ownership check). */
        Bucket perAccount();

        /** Per caller (the token's subject). */
        Bucket perClient();

        interface Bucket {

            int capacity();

            double perSecond();
        }
    }

    interface Topics {

        /** Where the ledger takes its commands. */
        @WithDefault(dev.corebank.messages.Topics.LEDGER_COMMANDS)
        String ledgerCommands();

        /** Where the ledger answers (the channel {@code ledger-events} reads it). */
        @WithDefault(dev.corebank.messages.Topics.LEDGER_EVENTS)
        String ledgerEvents();

        /** Where each transfer's outcome is published. */
        @WithDefault(dev.corebank.messages.Topics.TRANSFER_EVENTS)
        String transferEvents();
    }
}
