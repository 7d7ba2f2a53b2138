package dev.corebank.order.orders;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * An order and the state of its saga. Immutable: the saga ({@code OrderSaga}) answers each event with the
 * next state, and the repository writes it under the row lock with {@code version} one up.
 *
 * @param step       what the saga waits for
 * @param stock      where the order's units are
 * @param attempts   re-sends of the current step's command so far
 * @param deadlineAt when the current step's answer is overdue; null unless PENDING
 * @param log        the saga log, oldest first
 */
public record Order(UUID id, UUID customerAccountId, UUID merchantAccountId, long total, String currency,
        OrderStatus status, String reason, SagaStep step, StockState stock, UUID holdId, UUID placeCommandId,
        UUID captureCommandId, UUID voidCommandId, int attempts, Instant deadlineAt, List<OrderLine> items,
        List<SagaLogEntry> log, long version, Instant createdAt, Instant updatedAt) {

    public Order {
        items = List.copyOf(items);
        log = List.copyOf(log);
    }

    /** Which of this order's commands {@code commandId} is, if any. */
    public enum Command { PLACE, CAPTURE, VOID, UNKNOWN }

    public Command commandOf(UUID commandId) {
        if (commandId == null) {
            return Command.UNKNOWN;
        } else if (commandId.equals(placeCommandId)) {
            return Command.PLACE;
        } else if (commandId.equals(captureCommandId)) {
            return Command.CAPTURE;
        } else if (commandId.equals(voidCommandId)) {
            return Command.VOID;
        }
        return Command.UNKNOWN;
    }

    @JsonIgnore
    public boolean isFinal() {
        return status.isFinal();
    }

    /** Still to decide: PENDING, or FAILED waiting for a late answer or an operator. */
    @JsonIgnore
    public boolean isOpen() {
        return !isFinal();
    }

    /** The next state: {@code step}, {@code status}, {@code stock} as given, the log entries appended, version one up. */
    public Order next(OrderStatus status, String reason, SagaStep step, StockState stock, UUID captureCommandId,
            UUID voidCommandId, int attempts, Instant deadlineAt, List<SagaLogEntry> entries, Instant now) {
        List<SagaLogEntry> longer = new ArrayList<>(log);
        longer.addAll(entries);
        return new Order(id, customerAccountId, merchantAccountId, total, currency, status, reason, step, stock, holdId,
                placeCommandId, captureCommandId, voidCommandId, attempts, deadlineAt, items, longer, version + 1,
                createdAt, now);
    }
}
