package dev.corebank.messages.ledger;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Commands to the ledger on {@code ledger.commands}. Each carries a {@code commandId} chosen by the sender:
 * the ledger applies a command id at most once, and a repeated id gets the very same reply again, so a
 * sender may re-send whenever it is unsure.
 */
public sealed interface LedgerCommand {

    UUID commandId();

    /** The CloudEvents type of each command (its simple name) mapped to its record class. */
    Map<String, Class<? extends LedgerCommand>> TYPES = Stream.of(LedgerCommand.class.getPermittedSubclasses())
            .map(type -> type.asSubclass(LedgerCommand.class))
            .collect(Collectors.toUnmodifiableMap(Class::getSimpleName, Function.identity()));

    /** Moves {@code amount} from one account to another; answered by TransferPosted or TransferRejected. */
    record TransferFunds(UUID commandId, UUID fromAccountId, UUID toAccountId, long amount, String currency,
            String reference) implements LedgerCommand {

        public TransferFunds {
            required(commandId, "commandId");
            required(fromAccountId, "fromAccountId");
            required(toAccountId, "toAccountId");
            required(currency, "currency");
        }
    }

    /**
     * Reserves {@code amount} on {@code accountId} for {@code creditAccountId} until {@code expiresAt};
     * answered by HoldPlaced or HoldRejected.
     */
    record PlaceHold(UUID commandId, UUID holdId, UUID accountId, UUID creditAccountId, long amount,
            String currency, Instant expiresAt, String reference) implements LedgerCommand {

        public PlaceHold {
            required(commandId, "commandId");
            required(holdId, "holdId");
            required(accountId, "accountId");
            required(creditAccountId, "creditAccountId");
            required(currency, "currency");
            required(expiresAt, "expiresAt");
        }
    }

    /** Moves {@code amount} (at most the hold's) to the credit account and releases the rest. */
    record CaptureHold(UUID commandId, UUID holdId, long amount) implements LedgerCommand {

        public CaptureHold {
            required(commandId, "commandId");
            required(holdId, "holdId");
        }
    }

    /** Releases the whole hold. */
    record VoidHold(UUID commandId, UUID holdId) implements LedgerCommand {

        public VoidHold {
            required(commandId, "commandId");
            required(holdId, "holdId");
        }
    }

    /** Commands arrive from other services: one without a field it needs is malformed, not a rejection. */
    private static void required(Object value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
    }
}
