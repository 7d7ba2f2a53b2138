package dev.corebank.order.saga;

import dev.corebank.messages.ledger.LedgerCommand;
import dev.corebank.messages.ledger.LedgerCommand.CaptureHold;
import dev.corebank.messages.ledger.LedgerCommand.PlaceHold;
import dev.corebank.messages.ledger.LedgerCommand.VoidHold;
import dev.corebank.messages.ledger.LedgerEvent;
import dev.corebank.messages.ledger.LedgerEvent.HoldCaptured;
import dev.corebank.messages.ledger.LedgerEvent.HoldExpired;
import dev.corebank.messages.ledger.LedgerEvent.HoldPlaced;
import dev.corebank.messages.ledger.LedgerEvent.HoldRejected;
import dev.corebank.messages.ledger.LedgerEvent.HoldVoided;
import dev.corebank.messages.ledger.RejectionReason;
import dev.corebank.messages.order.OrderEvent;
import dev.corebank.order.orders.Order;
import dev.corebank.order.orders.OrderLine;
import dev.corebank.order.orders.OrderStatus;
import dev.corebank.order.orders.SagaLogEntry;
import dev.corebank.order.orders.SagaStep;
import dev.corebank.order.orders.StockState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The order saga as a pure state machine: reserve stock → place a hold on the customer's money → confirm the
 * stock → capture the hold → CONFIRMED. Each remote step has a deadline; past it the command goes again (same
 * command id: the ledger applies it once) with a doubling wait, and past {@code maxResends} the saga
 * compensates in reverse order: void the hold, then put the stock back. A compensation is re-sent until it is
 * answered; past {@code maxCompensationResends} the order goes FAILED for an operator, and a late answer still
 * finishes it.
 *
 * <p>The stock goes back only once the ledger has said what became of the hold. A capture the ledger applied
 * after all turns a compensating order CONFIRMED, so money and stock always agree: its answer came late, or it
 * never moved the order (lost, or dead-lettered) and the ledger refuses the void as HOLD_ALREADY_CAPTURED.
 *
 * <p>Every method returns the next state and what must commit with it; nothing here does I/O.
 */
public final class OrderSaga {

    public static final String OUT_OF_STOCK = "OUT_OF_STOCK";
    public static final String LEDGER_TIMEOUT = "LEDGER_TIMEOUT";

    static final String RESERVE_STOCK = "RESERVE_STOCK";
    static final String PLACE_HOLD = "PLACE_HOLD";
    static final String CONFIRM_STOCK = "CONFIRM_STOCK";
    static final String CAPTURE_HOLD = "CAPTURE_HOLD";
    static final String VOID_HOLD = "VOID_HOLD";
    static final String RELEASE_STOCK = "RELEASE_STOCK";

    private final SagaSettings settings;
    private final Supplier<UUID> ids;

    /** {@code ids} makes the ids of new commands (UUIDv7 in the service, predictable in tests). */
    public OrderSaga(SagaSettings settings, Supplier<UUID> ids) {
        this.settings = settings;
        this.ids = ids;
    }

    /** What a customer asked for, priced: the order before its saga starts. */
    public record Draft(UUID id, UUID customerAccountId, UUID merchantAccountId, long total, String currency,
            List<OrderLine> items) {
    }

    /**
     * Starts the saga of {@code draft}: with its stock reserved, the hold is asked for; without (a
     * {@code shortage} says which product ran out), the order is CANCELLED at once and no money is touched.
     */
    public Transition place(Draft draft, Optional<String> shortage, Instant now) {
        if (shortage.isPresent()) {
            Order order = new Order(draft.id(), draft.customerAccountId(), draft.merchantAccountId(), draft.total(),
                    draft.currency(), OrderStatus.CANCELLED, OUT_OF_STOCK, SagaStep.DONE, StockState.RELEASED, ids.get(),
                    ids.get(), null, null, 0, null, draft.items(),
                    List.of(new SagaLogEntry(RESERVE_STOCK, "FAILED", shortage.get(), now)), 0, now, now);
            return Transition.of(order, StockMove.NONE, cancelled(order, now));
        }
        Order order = new Order(draft.id(), draft.customerAccountId(), draft.merchantAccountId(), draft.total(),
                draft.currency(), OrderStatus.PENDING, null, SagaStep.AUTHORIZING, StockState.RESERVED, ids.get(),
                ids.get(), null, null, 0, now.plus(settings.waitFor(0)), draft.items(), List.of(
                        new SagaLogEntry(RESERVE_STOCK, "DONE", null, now),
                        new SagaLogEntry(PLACE_HOLD, "SENT", null, now)),
                0, now, now);
        return Transition.of(order, StockMove.RESERVE, placeHold(order));
    }

    /** The ledger's word on {@code order}'s hold; empty when it changes nothing (late, repeated, or not ours). */
    public Optional<Transition> onReply(Order order, LedgerEvent reply, Instant now) {
        if (order.isFinal()) {
            return Optional.empty();
        }
        SagaStep step = order.step();
        if (reply instanceof HoldPlaced) {
            return step == SagaStep.AUTHORIZING ? Optional.of(capture(order, now)) : Optional.empty();
        } else if (reply instanceof HoldCaptured) {
            // Also while compensating: the capture was applied and only its answer was late.
            return order.stock() == StockState.TAKEN ? Optional.of(confirm(order, now, null)) : Optional.empty();
        } else if (reply instanceof HoldVoided) {
            return step == SagaStep.COMPENSATING
                    ? Optional.of(cancel(order, order.reason(), now, entry(VOID_HOLD, "DONE", null, now)))
                    : Optional.empty();
        } else if (reply instanceof HoldExpired) {
            return Optional.of(cancel(order, reasonOr(order, RejectionReason.HOLD_EXPIRED.name()), now,
                    entry(PLACE_HOLD, "EXPIRED", "the ledger released the hold at its expiry", now)));
        } else if (reply instanceof HoldRejected rejected) {
            return onRejected(order, rejected, now);
        }
        return Optional.empty();
    }

    private Optional<Transition> onRejected(Order order, HoldRejected rejected, Instant now) {
        String reason = rejected.reason() == null ? "REJECTED" : rejected.reason().name();
        SagaStep step = order.step();
        switch (order.commandOf(rejected.commandId())) {
            case PLACE:
                // No hold was placed, and none will be: the same command id is never applied twice.
                if (step == SagaStep.AUTHORIZING || step == SagaStep.COMPENSATING) {
                    return Optional.of(cancel(order, reasonOr(order, reason), now,
                            entry(PLACE_HOLD, "FAILED", detail(rejected), now)));
                }
                return Optional.empty();
            case CAPTURE:
                if (step != SagaStep.CAPTURING) {
                    return Optional.empty();
                }
                if (rejected.reason() == RejectionReason.HOLD_ALREADY_CAPTURED) {
                    return Optional.of(confirm(order, now, detail(rejected)));
                }
                if (rejected.reason() == RejectionReason.HOLD_EXPIRED) {
                    return Optional.of(cancel(order, reason, now, entry(CAPTURE_HOLD, "FAILED", detail(rejected), now)));
                }
                return Optional.of(compensate(order, reason, now, entry(CAPTURE_HOLD, "FAILED", detail(rejected), now)));
            case VOID:
                if (step != SagaStep.COMPENSATING) {
                    return Optional.empty();
                }
                if (rejected.reason() == RejectionReason.HOLD_ALREADY_CAPTURED) {
                    // The money moved, though the capture's answer never moved this order on (lost, or
                    // dead-lettered): the customer paid, so the units stay sold. Without a capture sent, a captured
                    // hold is none of this saga's doing; it goes on to FAILED for an operator.
                    return order.stock() == StockState.TAKEN
                            ? Optional.of(confirm(order, now, detail(rejected)))
                            : Optional.empty();
                }
                // Not found, expired or voided: no hold is left to hold money.
                return Optional.of(cancel(order, order.reason(), now, entry(VOID_HOLD, "DONE", detail(rejected), now)));
            default:
                return Optional.empty();
        }
    }

    /** The current step's answer is overdue: send its command again, or give up on it. */
    public Transition onDeadline(Order order, Instant now) {
        if (order.status() != OrderStatus.PENDING) {
            throw new IllegalStateException("order " + order.id() + " is " + order.status() + ", not running");
        }
        int attempts = order.attempts();
        switch (order.step()) {
            case AUTHORIZING:
                return attempts < settings.maxResends()
                        ? resend(order, PLACE_HOLD, placeHold(order), now)
                        : compensate(order, LEDGER_TIMEOUT, now, entry(PLACE_HOLD, "TIMED_OUT", tries(attempts), now));
            case CAPTURING:
                return attempts < settings.maxResends()
                        ? resend(order, CAPTURE_HOLD, captureHold(order), now)
                        : compensate(order, LEDGER_TIMEOUT, now, entry(CAPTURE_HOLD, "TIMED_OUT", tries(attempts), now));
            case COMPENSATING:
                if (attempts < settings.maxCompensationResends()) {
                    return resend(order, VOID_HOLD, voidHold(order), now);
                }
                Order failed = order.next(OrderStatus.FAILED, order.reason(), SagaStep.COMPENSATING, order.stock(),
                        order.captureCommandId(), order.voidCommandId(), attempts, null,
                        List.of(entry(VOID_HOLD, "FAILED", tries(attempts) + "; waiting for an operator", now)), now);
                return new Transition(failed, StockMove.NONE, List.of(), Optional.empty());
            default:
                throw new IllegalStateException("order " + order.id() + " waits for nothing");
        }
    }

    /** An operator's retry of a FAILED order: its compensation starts over. */
    public Transition retry(Order order, Instant now) {
        if (order.status() != OrderStatus.FAILED) {
            throw new IllegalStateException("order " + order.id() + " is " + order.status() + ", not FAILED");
        }
        Order retried = order.next(OrderStatus.PENDING, order.reason(), SagaStep.COMPENSATING, order.stock(),
                order.captureCommandId(), order.voidCommandId(), 0, now.plus(settings.waitFor(0)),
                List.of(entry(VOID_HOLD, "RESENT", "retried by an operator", now)), now);
        return Transition.of(retried, StockMove.NONE, voidHold(retried));
    }

    private Transition capture(Order order, Instant now) {
        Order capturing = order.next(OrderStatus.PENDING, null, SagaStep.CAPTURING, StockState.TAKEN, ids.get(), null, 0,
                now.plus(settings.waitFor(0)), List.of(
                        entry(PLACE_HOLD, "DONE", null, now),
                        entry(CONFIRM_STOCK, "DONE", null, now),
                        entry(CAPTURE_HOLD, "SENT", null, now)), now);
        return Transition.of(capturing, StockMove.TAKE, captureHold(capturing));
    }

    /** {@code how}: how the capture became known, when not by its own answer (null when it was). */
    private Transition confirm(Order order, Instant now, String how) {
        Order confirmed = order.next(OrderStatus.CONFIRMED, null, SagaStep.DONE, StockState.TAKEN,
                order.captureCommandId(), order.voidCommandId(), order.attempts(), null,
                List.of(entry(CAPTURE_HOLD, "DONE", how, now)), now);
        return Transition.of(confirmed, StockMove.NONE, new OrderEvent.OrderConfirmed(confirmed.id(),
                confirmed.customerAccountId(), confirmed.merchantAccountId(), confirmed.total(), confirmed.currency(),
                confirmed.items().stream()
                        .map(line -> new OrderEvent.Line(line.sku(), line.quantity(), line.price()))
                        .toList(),
                confirmed.createdAt(), now));
    }

    /** Voids the hold; the stock stays where it is until the ledger has answered. */
    private Transition compensate(Order order, String reason, Instant now, SagaLogEntry why) {
        UUID voidCommand = order.voidCommandId() == null ? ids.get() : order.voidCommandId();
        Order compensating = order.next(OrderStatus.PENDING, reason, SagaStep.COMPENSATING, order.stock(),
                order.captureCommandId(), voidCommand, 0, now.plus(settings.waitFor(0)),
                List.of(why, entry(VOID_HOLD, "SENT", null, now)), now);
        return Transition.of(compensating, StockMove.NONE, voidHold(compensating));
    }

    private Transition cancel(Order order, String reason, Instant now, SagaLogEntry why) {
        StockMove release = switch (order.stock()) {
            case RESERVED -> StockMove.RELEASE_RESERVED;
            case TAKEN -> StockMove.RETURN_TAKEN;
            case RELEASED -> StockMove.NONE;
        };
        List<SagaLogEntry> entries = release == StockMove.NONE ? List.of(why)
                : List.of(why, entry(RELEASE_STOCK, "DONE", null, now));
        Order cancelled = order.next(OrderStatus.CANCELLED, reason, SagaStep.DONE, StockState.RELEASED,
                order.captureCommandId(), order.voidCommandId(), order.attempts(), null, entries, now);
        return Transition.of(cancelled, release, cancelled(cancelled, now));
    }

    private Transition resend(Order order, String name, LedgerCommand command, Instant now) {
        int attempt = order.attempts() + 1;
        Order resent = order.next(order.status(), order.reason(), order.step(), order.stock(), order.captureCommandId(),
                order.voidCommandId(), attempt, now.plus(settings.waitFor(attempt)),
                List.of(entry(name, "RESENT", "attempt " + (attempt + 1), now)), now);
        return Transition.of(resent, StockMove.NONE, command);
    }

    private PlaceHold placeHold(Order order) {
        // The expiry is fixed by the order, so every send of the command is the same command.
        return new PlaceHold(order.placeCommandId(), order.holdId(), order.customerAccountId(), order.merchantAccountId(),
                order.total(), order.currency(), order.createdAt().plus(settings.holdTtl()), "order " + order.id());
    }

    private static CaptureHold captureHold(Order order) {
        return new CaptureHold(order.captureCommandId(), order.holdId(), order.total());
    }

    private static VoidHold voidHold(Order order) {
        return new VoidHold(order.voidCommandId(), order.holdId());
    }

    private static OrderEvent.OrderCancelled cancelled(Order order, Instant now) {
        return new OrderEvent.OrderCancelled(order.id(), order.customerAccountId(), order.total(), order.currency(),
                order.reason(), order.createdAt(), now);
    }

    private static String reasonOr(Order order, String reason) {
        return order.reason() == null ? reason : order.reason();
    }

    private static SagaLogEntry entry(String name, String status, String detail, Instant at) {
        return new SagaLogEntry(name, status, detail, at);
    }

    private static String detail(HoldRejected rejected) {
        return rejected.detail() == null ? String.valueOf(rejected.reason()) : rejected.reason() + ": " + rejected.detail();
    }

    private static String tries(int attempts) {
        return "no answer after " + (attempts + 1) + " sends";
    }
}
