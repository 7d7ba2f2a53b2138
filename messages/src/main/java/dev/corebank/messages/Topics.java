package dev.corebank.messages;

/**
 * Kafka topic names shared by producers (through the outbox) and consumers.
 *
 * <p>One place for every name, so a topic is never spelled twice. The relay publishes an outbox row to
 * the topic named in the row, so services refer to these constants when they append events.
 */
public final class Topics {

    /** Commands for the ledger: transfers and holds. Keyed by the account the command is about. */
    public static final String LEDGER_COMMANDS = "ledger.commands";

    /** Everything the ledger did: postings, rejections, hold lifecycle. Keyed by the command's aggregate. */
    public static final String LEDGER_EVENTS = "ledger.events";

    /** The latest state of each account, for read models ({@code AccountChanged}). Keyed by account id. */
    public static final String LEDGER_ACCOUNTS = "ledger.accounts";

    /** Lifecycle of transfers as seen by transfer-service. Keyed by transfer id. */
    public static final String TRANSFER_EVENTS = "transfer.events";

    /** Lifecycle of orders as the saga moves them: placed, confirmed, cancelled. Keyed by order id. */
    public static final String ORDER_EVENTS = "order.events";

    /** Suffix of the dead-letter topic of any consumed topic: {@code ledger.commands.dlt}. */
    public static final String DEAD_LETTER_SUFFIX = ".dlt";

    private Topics() {
    }

    /** The dead-letter topic where poison messages of {@code topic} end up. */
    public static String deadLetterOf(String topic) {
        return topic + DEAD_LETTER_SUFFIX;
    }
}
