package dev.corebank.messages.ledger;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the ledger did, on {@code ledger.events}: the replies to {@link LedgerCommand}s (each names its
 * {@code commandId}) and the movements made over HTTP. Transfer replies are keyed by the command id, hold
 * events by the hold id, deposits and withdrawals by the account.
 */
public sealed interface LedgerEvent {

    /** The CloudEvents type of each event (its simple name) mapped to its record class. */
    Map<String, Class<? extends LedgerEvent>> TYPES = Stream.of(LedgerEvent.class.getPermittedSubclasses())
            .map(type -> type.asSubclass(LedgerEvent.class))
            .collect(Collectors.toUnmodifiableMap(Class::getSimpleName, Function.identity()));

    record TransferPosted(UUID commandId, UUID fromAccountId, UUID toAccountId, long amount, String currency,
            Instant postedAt) implements LedgerEvent {

        public TransferPosted {
            Fields.required(commandId, "commandId");
            Fields.required(postedAt, "postedAt");
        }
    }

    record TransferRejected(UUID commandId, RejectionReason reason, String detail) implements LedgerEvent {

        public TransferRejected {
            Fields.required(commandId, "commandId");
            Fields.required(reason, "reason");
        }
    }

    record HoldPlaced(UUID commandId, UUID holdId, UUID accountId, long amount, String currency,
            Instant expiresAt) implements LedgerEvent {

        public HoldPlaced {
            Fields.required(commandId, "commandId");
            Fields.required(holdId, "holdId");
        }
    }

    /** A PlaceHold, CaptureHold or VoidHold that had no effect. */
    record HoldRejected(UUID commandId, UUID holdId, RejectionReason reason, String detail) implements LedgerEvent {

        public HoldRejected {
            Fields.required(commandId, "commandId");
            Fields.required(holdId, "holdId");
            Fields.required(reason, "reason");
        }
    }

    record HoldCaptured(UUID commandId, UUID holdId, long capturedAmount, long releasedAmount, Instant postedAt)
            implements LedgerEvent {

        public HoldCaptured {
            Fields.required(commandId, "commandId");
            Fields.required(holdId, "holdId");
        }
    }

    record HoldVoided(UUID commandId, UUID holdId, long releasedAmount) implements LedgerEvent {

        public HoldVoided {
            Fields.required(commandId, "commandId");
            Fields.required(holdId, "holdId");
        }
    }

    /** Nobody captured or voided the hold before its expiry; the whole amount is available again. */
    record HoldExpired(UUID holdId, long releasedAmount) implements LedgerEvent {

        public HoldExpired {
            Fields.required(holdId, "holdId");
        }
    }

    record FundsDeposited(UUID movementId, UUID accountId, long amount, String currency, String reference)
            implements LedgerEvent {
    }

    record FundsWithdrawn(UUID movementId, UUID accountId, long amount, String currency, String reference)
            implements LedgerEvent {
    }
}
