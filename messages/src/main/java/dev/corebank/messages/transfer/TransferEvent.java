package dev.corebank.messages.transfer;

import dev.corebank.messages.ledger.RejectionReason;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The outcome of each transfer asked for over transfer-service's API, on {@code transfer.events}, keyed by
 * the transfer id. Published once per transfer, when the ledger has answered its command.
 */
public sealed interface TransferEvent {

    /** The CloudEvents type of each event (its simple name) mapped to its record class. */
    Map<String, Class<? extends TransferEvent>> TYPES = Stream.of(TransferEvent.class.getPermittedSubclasses())
            .map(type -> type.asSubclass(TransferEvent.class))
            .collect(Collectors.toUnmodifiableMap(Class::getSimpleName, Function.identity()));

    UUID transferId();

    /** The ledger posted the transfer at {@code completedAt}. */
    record TransferCompleted(UUID transferId, UUID fromAccountId, UUID toAccountId, long amount, String currency,
            Instant completedAt) implements TransferEvent {
    }

    /** The ledger refused the transfer; nothing moved. */
    record TransferFailed(UUID transferId, UUID fromAccountId, UUID toAccountId, long amount, String currency,
            RejectionReason reason, String detail, Instant failedAt) implements TransferEvent {
    }
}
