package dev.corebank.account.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The ledger's settings. */
@ConfigMapping(prefix = "corebank.ledger")
public interface LedgerConfig {

    /** Largest amount one deposit, withdrawal or overdraft limit may have, in minor units. */
    @WithDefault("1000000000000")
    long maxAmount();

    /** How often placed holds past their expiry are released. */
    @WithDefault("PT1S")
    Duration holdExpiryInterval();

    /** Most holds one expiry transaction releases. */
    @WithDefault("500")
    int holdExpiryBatch();

    /** Month partitions of the journal kept ready beyond the current month. */
    @WithDefault("3")
    int partitionMonthsAhead();

    /** Topics this service reads, and appends events to (the relay publishes those). */
    Topics topics();

    interface Topics {

        /** The commands this service consumes (the channel {@code ledger-commands} reads it). */
        @WithDefault(dev.corebank.messages.Topics.LEDGER_COMMANDS)
        String commands();

        /** Replies to commands and the movements made over HTTP. */
        @WithDefault(dev.corebank.messages.Topics.LEDGER_EVENTS)
        String events();

        /** AccountChanged, for read models. */
        @WithDefault(dev.corebank.messages.Topics.LEDGER_ACCOUNTS)
        String accounts();
    }
}
