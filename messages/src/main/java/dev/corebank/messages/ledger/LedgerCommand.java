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

    /**
     * The longest reference (a transfer's description, a hold's reference) the ledger keeps with a movement.
     * Senders should refuse longer ones up front; the ledger rejects them ({@link RejectionReason#INVALID_REFERENCE}).
     */
    int MAX_REFERENCE_LENGTH = 140;

    UUID commandId();

    /** The CloudEvents type of each command (its simple name) mapped to its record class. */
    Map<String, Class<? extends LedgerCommand>> TYPES = Stream.of(LedgerCommand.class.getPermittedSubclasses())
            .map(type -> type.asSubclass(LedgerCommand.class))
            .collect(Collectors.toUnmodifiableMap(Class::getSimpleName, Function.identity()));

    /** Moves {@code amount} from one account to another; answered by TransferPosted or TransferRejected. */
    record TransferFunds(UUID commandId, UUID fromAccountId, UUID toAccountId, long amount, String currency,
            String reference) implements LedgerCommand {

        public TransferFunds {
            Fields.required(commandId, "commandId");
            Fields.required(fromAccountId, "fromAccountId");
            Fields.required(toAccountId, "toAccountId");
            Fields.required(currency, "currency");
        }
    }

    /**
     * Reserves {@code amount} on {@code accountId} for {@code creditAccountId} until {@code expiresAt};
     * answered by HoldPlaced or HoldRejected.
     */
    record PlaceHold(UUID commandId, UUID holdId, UUID accountId, UUID creditAccountId, long amount,
            String currency, Instant expiresAt, String reference) implements LedgerCommand {

        public PlaceHold {
            Fields.required(commandId, "commandId");
            Fields.required(holdId, "holdId");
            Fields.required(accountId, "accountId");
            Fields.required(creditAccountId, "creditAccountId");
            Fields.required(currency, "currency");
            Fields.required(expiresAt, "expiresAt");
        }
    }

    /** Moves {@code amount} (at most the hold's) to the credit account and releases the rest. */
    record CaptureHold(UUID commandId, UUID holdId, long amount) implements LedgerCommand {

        public CaptureHold {
            Fields.required(commandId, "commandId");
            Fields.required(holdId, "holdId");
        }
    }

    /** Releases the whole hold. */
    record VoidHold(UUID commandId, UUID holdId) implements LedgerCommand {

        public VoidHold {
            Fields.required(commandId, "commandId");
            Fields.required(holdId, "holdId");
        }
    }
}
