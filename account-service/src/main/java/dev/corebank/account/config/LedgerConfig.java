package dev.corebank.account.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import dev.corebank.messages.ledger.LedgerCommand;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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

    /** Who may send the ledger each command. */
    Senders senders();

    /**
     * The services (outbox source names, as the relay stamps them in {@code ce_source}) allowed to send each
     * command. A command from any other source, or from none, is never applied: it goes to the commands'
     * dead-letter topic and is counted in {@code messages_untrusted_total}.
     */
    interface Senders {

        /** TransferFunds: transfer-service. */
        @WithDefault("transfers")
        List<String> transferFunds();

        /** PlaceHold: the order saga. */
        @WithDefault("orders")
        List<String> placeHold();

        /** CaptureHold: the order saga. */
        @WithDefault("orders")
        List<String> captureHold();

        /** VoidHold: the order saga. */
        @WithDefault("orders")
        List<String> voidHold();

        /** The allowed senders by command type. */
        default Map<Class<? extends LedgerCommand>, List<String>> byType() {
            return Map.of(LedgerCommand.TransferFunds.class, transferFunds(), LedgerCommand.PlaceHold.class, placeHold(),
                    LedgerCommand.CaptureHold.class, captureHold(), LedgerCommand.VoidHold.class, voidHold());
        }
    }

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
