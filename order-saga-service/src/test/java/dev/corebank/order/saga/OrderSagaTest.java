package dev.corebank.order.saga;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corebank.messages.ledger.LedgerCommand;
import dev.corebank.messages.ledger.LedgerEvent;
import dev.corebank.messages.ledger.RejectionReason;
import dev.corebank.messages.order.OrderEvent;
import dev.corebank.order.orders.Order;
import dev.corebank.order.orders.OrderLine;
import dev.corebank.order.orders.OrderStatus;
import dev.corebank.order.orders.SagaLogEntry;
import dev.corebank.order.orders.SagaStep;
import dev.corebank.order.orders.StockState;
import dev.corebank.platform.messaging.Backoff;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The saga's rules, without a database or a broker: each event's next state and what commits with it. */
class OrderSagaTest {

    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");
    private static final SagaSettings SETTINGS = new SagaSettings(
            new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(30)), 2, 3, Duration.ofMinutes(15));

    private final AtomicLong next = new AtomicLong();
    private final OrderSaga saga = new OrderSaga(SETTINGS, () -> new UUID(42, next.incrementAndGet()));
    private final OrderSaga.Draft draft = new OrderSaga.Draft(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
            3_000, "EUR", List.of(new OrderLine(UUID.randomUUID(), "MUG", 2, 1_500)));

    @Test
    void a_placed_order_reserves_its_stock_and_asks_for_a_hold_until_its_expiry() {
        Transition placed = saga.place(draft, Optional.empty(), T0);

        Order order = placed.order();
        assertEquals(OrderStatus.PENDING, order.status());
        assertEquals(SagaStep.AUTHORIZING, order.step());
        assertEquals(StockState.RESERVED, order.stock());
        assertEquals(StockMove.RESERVE, placed.stock());
        assertEquals(T0.plusSeconds(10), order.deadlineAt());
        LedgerCommand.PlaceHold hold = assertInstanceOf(LedgerCommand.PlaceHold.class, placed.commands().get(0));
        assertEquals(order.placeCommandId(), hold.commandId());
        assertEquals(order.holdId(), hold.holdId());
        assertEquals(draft.customerAccountId(), hold.accountId());
        assertEquals(draft.merchantAccountId(), hold.creditAccountId());
        assertEquals(3_000, hold.amount());
        assertEquals(T0.plus(Duration.ofMinutes(15)), hold.expiresAt());
        assertEquals(List.of("RESERVE_STOCK DONE", "PLACE_HOLD SENT"), log(order));
    }

    @Test
    void out_of_stock_cancels_at_once_without_touching_money() {
        Transition placed = saga.place(draft, Optional.of("MUG: 2 asked, 1 available"), T0);

        assertEquals(OrderStatus.CANCELLED, placed.order().status());
        assertEquals(OrderSaga.OUT_OF_STOCK, placed.order().reason());
        assertEquals(StockMove.NONE, placed.stock());
        assertTrue(placed.commands().isEmpty(), "no ledger command");
        assertInstanceOf(OrderEvent.OrderCancelled.class, placed.event().orElseThrow());
    }

    @Test
    void the_happy_path_confirms_stock_then_captures_then_confirms_the_order() {
        Order authorizing = saga.place(draft, Optional.empty(), T0).order();

        Transition capture = saga.onReply(authorizing, placed(authorizing), T0.plusSeconds(1)).orElseThrow();
        assertEquals(SagaStep.CAPTURING, capture.order().step());
        assertEquals(StockMove.TAKE, capture.stock());
        LedgerCommand.CaptureHold command = assertInstanceOf(LedgerCommand.CaptureHold.class, capture.commands().get(0));
        assertEquals(3_000, command.amount());

        Transition confirm = saga.onReply(capture.order(), captured(capture.order()), T0.plusSeconds(2)).orElseThrow();
        assertEquals(OrderStatus.CONFIRMED, confirm.order().status());
        assertEquals(StockMove.NONE, confirm.stock(), "the stock was taken when it was confirmed");
        OrderEvent.OrderConfirmed event = assertInstanceOf(OrderEvent.OrderConfirmed.class, confirm.event().orElseThrow());
        assertEquals(T0, event.placedAt());
        assertEquals(List.of("RESERVE_STOCK DONE", "PLACE_HOLD SENT", "PLACE_HOLD DONE", "CONFIRM_STOCK DONE",
                "CAPTURE_HOLD SENT", "CAPTURE_HOLD DONE"), log(confirm.order()));
        assertNull(confirm.order().deadlineAt());
    }

    @Test
    void a_rejected_hold_releases_the_stock_and_cancels_with_the_ledgers_reason() {
        Order authorizing = saga.place(draft, Optional.empty(), T0).order();

        Transition cancel = saga.onReply(authorizing, rejected(authorizing, authorizing.placeCommandId(),
                RejectionReason.INSUFFICIENT_FUNDS), T0.plusSeconds(1)).orElseThrow();

        assertEquals(OrderStatus.CANCELLED, cancel.order().status());
        assertEquals("INSUFFICIENT_FUNDS", cancel.order().reason());
        assertEquals(StockMove.RELEASE_RESERVED, cancel.stock());
        assertTrue(cancel.commands().isEmpty(), "no hold to void");
    }

    @Test
    void a_hold_expired_before_capture_returns_the_taken_stock_and_cancels() {
        Order capturing = capturing();

        Transition cancel = saga.onReply(capturing, new LedgerEvent.HoldExpired(capturing.holdId(), 3_000),
                T0.plusSeconds(5)).orElseThrow();

        assertEquals(OrderStatus.CANCELLED, cancel.order().status());
        assertEquals("HOLD_EXPIRED", cancel.order().reason());
        assertEquals(StockMove.RETURN_TAKEN, cancel.stock());
        // The capture's own rejection, arriving after, changes nothing more.
        assertTrue(saga.onReply(cancel.order(), rejected(capturing, capturing.captureCommandId(),
                RejectionReason.HOLD_EXPIRED), T0.plusSeconds(6)).isEmpty());
    }

    @Test
    void a_capture_rejected_as_expired_cancels_too() {
        Order capturing = capturing();

        Transition cancel = saga.onReply(capturing, rejected(capturing, capturing.captureCommandId(),
                RejectionReason.HOLD_EXPIRED), T0.plusSeconds(5)).orElseThrow();

        assertEquals(OrderStatus.CANCELLED, cancel.order().status());
        assertEquals(StockMove.RETURN_TAKEN, cancel.stock());
    }

    @Test
    void an_overdue_step_is_resent_with_the_same_command_id_and_a_doubling_wait_then_compensated() {
        Order authorizing = saga.place(draft, Optional.empty(), T0).order();

        Transition first = saga.onDeadline(authorizing, T0.plusSeconds(10));
        LedgerCommand.PlaceHold resent = assertInstanceOf(LedgerCommand.PlaceHold.class, first.commands().get(0));
        assertEquals(authorizing.placeCommandId(), resent.commandId(), "the same command: the ledger applies it once");
        assertEquals(T0.plusSeconds(10 + 20), first.order().deadlineAt());

        Transition second = saga.onDeadline(first.order(), T0.plusSeconds(30));
        assertEquals(T0.plusSeconds(30 + 30), second.order().deadlineAt(), "the wait is capped at max-backoff");

        Transition compensate = saga.onDeadline(second.order(), T0.plusSeconds(60));
        assertEquals(SagaStep.COMPENSATING, compensate.order().step());
        assertEquals(OrderSaga.LEDGER_TIMEOUT, compensate.order().reason());
        assertEquals(StockMove.NONE, compensate.stock(), "the stock waits for the ledger's word on the hold");
        LedgerCommand.VoidHold voidHold = assertInstanceOf(LedgerCommand.VoidHold.class, compensate.commands().get(0));
        assertEquals(authorizing.holdId(), voidHold.holdId());

        Transition voided = saga.onReply(compensate.order(), new LedgerEvent.HoldVoided(voidHold.commandId(),
                authorizing.holdId(), 3_000), T0.plusSeconds(61)).orElseThrow();
        assertEquals(OrderStatus.CANCELLED, voided.order().status());
        assertEquals(OrderSaga.LEDGER_TIMEOUT, voided.order().reason());
        assertEquals(StockMove.RELEASE_RESERVED, voided.stock());
    }

    @Test
    void a_compensation_unanswered_past_its_bound_fails_for_operators_and_a_retry_sends_it_again() {
        Order compensating = compensating();
        Order order = compensating;
        for (int i = 0; i < SETTINGS.maxCompensationResends(); i++) {
            Transition resend = saga.onDeadline(order, order.deadlineAt());
            assertInstanceOf(LedgerCommand.VoidHold.class, resend.commands().get(0));
            order = resend.order();
        }
        Transition failed = saga.onDeadline(order, order.deadlineAt());
        assertEquals(OrderStatus.FAILED, failed.order().status());
        assertNull(failed.order().deadlineAt(), "no longer swept");
        assertTrue(failed.commands().isEmpty());

        Transition retried = saga.retry(failed.order(), T0.plusSeconds(500));
        assertEquals(OrderStatus.PENDING, retried.order().status());
        assertEquals(0, retried.order().attempts());
        LedgerCommand.VoidHold again = assertInstanceOf(LedgerCommand.VoidHold.class, retried.commands().get(0));
        assertEquals(compensating.voidCommandId(), again.commandId());
        assertThrows(IllegalStateException.class, () -> saga.retry(retried.order(), T0.plusSeconds(501)));
    }

    @Test
    void a_late_answer_still_finishes_a_failed_order() {
        Order failed = failed();

        Transition voided = saga.onReply(failed, new LedgerEvent.HoldVoided(failed.voidCommandId(), failed.holdId(), 3_000),
                T0.plusSeconds(900)).orElseThrow();

        assertEquals(OrderStatus.CANCELLED, voided.order().status());
        assertEquals(StockMove.RETURN_TAKEN, voided.stock());
    }

    @Test
    void a_capture_applied_after_all_confirms_a_compensating_order_instead_of_giving_the_stock_back() {
        Order compensating = compensating();

        Transition confirm = saga.onReply(compensating, captured(compensating), T0.plusSeconds(100)).orElseThrow();

        assertEquals(OrderStatus.CONFIRMED, confirm.order().status());
        assertEquals(StockMove.NONE, confirm.stock(), "the units stay sold: the money moved");
        // The void's rejection that follows (the hold was resolved by the capture) changes nothing.
        assertTrue(saga.onReply(confirm.order(), rejected(compensating, compensating.voidCommandId(),
                RejectionReason.HOLD_ALREADY_RESOLVED), T0.plusSeconds(101)).isEmpty());
    }

    @Test
    void a_void_refused_because_the_hold_was_captured_confirms_the_order_and_keeps_the_stock_sold() {
        // The capture's answer never moved the order (lost, or dead-lettered): the void's refusal says the money moved.
        Order compensating = compensating();

        Transition confirm = saga.onReply(compensating, rejected(compensating, compensating.voidCommandId(),
                RejectionReason.HOLD_ALREADY_CAPTURED), T0.plusSeconds(100)).orElseThrow();

        assertEquals(OrderStatus.CONFIRMED, confirm.order().status());
        assertNull(confirm.order().reason(), "a paid order has no cancellation reason");
        assertEquals(StockMove.NONE, confirm.stock(), "the units stay sold: the money moved");
        assertInstanceOf(OrderEvent.OrderConfirmed.class, confirm.event().orElseThrow());
        assertTrue(confirm.commands().isEmpty());
        SagaLogEntry last = confirm.order().log().get(confirm.order().log().size() - 1);
        assertEquals("CAPTURE_HOLD DONE", last.name() + " " + last.status());
        assertTrue(last.detail().startsWith("HOLD_ALREADY_CAPTURED"), last.detail());
    }

    @Test
    void a_failed_order_whose_hold_turns_out_captured_is_confirmed_too() {
        Order failed = failed();

        Transition confirm = saga.onReply(failed, rejected(failed, failed.voidCommandId(),
                RejectionReason.HOLD_ALREADY_CAPTURED), T0.plusSeconds(900)).orElseThrow();

        assertEquals(OrderStatus.CONFIRMED, confirm.order().status());
        assertEquals(StockMove.NONE, confirm.stock());
    }

    @Test
    void a_capture_refused_because_the_hold_was_captured_confirms_the_order() {
        Order capturing = capturing();

        Transition confirm = saga.onReply(capturing, rejected(capturing, capturing.captureCommandId(),
                RejectionReason.HOLD_ALREADY_CAPTURED), T0.plusSeconds(3)).orElseThrow();

        assertEquals(OrderStatus.CONFIRMED, confirm.order().status());
        assertEquals(StockMove.NONE, confirm.stock());
    }

    @Test
    void a_hold_captured_though_this_saga_never_sent_a_capture_confirms_nothing_and_gives_no_stock_back() {
        Order authorizing = saga.place(draft, Optional.empty(), T0).order();
        Order compensating = saga.onDeadline(saga.onDeadline(saga.onDeadline(authorizing, T0.plusSeconds(10)).order(),
                T0.plusSeconds(30)).order(), T0.plusSeconds(60)).order();
        assertEquals(StockState.RESERVED, compensating.stock());

        assertTrue(saga.onReply(compensating, rejected(compensating, compensating.voidCommandId(),
                RejectionReason.HOLD_ALREADY_CAPTURED), T0.plusSeconds(61)).isEmpty(), "left to go FAILED for operators");
    }

    @Test
    void a_void_refused_because_the_hold_was_voided_or_expired_cancels_and_returns_the_stock() {
        Order compensating = compensating();

        Transition cancel = saga.onReply(compensating, rejected(compensating, compensating.voidCommandId(),
                RejectionReason.HOLD_ALREADY_RESOLVED), T0.plusSeconds(100)).orElseThrow();

        assertEquals(OrderStatus.CANCELLED, cancel.order().status());
        assertEquals(StockMove.RETURN_TAKEN, cancel.stock());
    }

    @Test
    void a_void_answered_hold_not_found_cancels_because_no_money_was_ever_held() {
        Order authorizing = saga.place(draft, Optional.empty(), T0).order();
        Order compensating = saga.onDeadline(saga.onDeadline(saga.onDeadline(authorizing, T0.plusSeconds(10)).order(),
                T0.plusSeconds(30)).order(), T0.plusSeconds(60)).order();

        Transition cancel = saga.onReply(compensating, rejected(compensating, compensating.voidCommandId(),
                RejectionReason.HOLD_NOT_FOUND), T0.plusSeconds(61)).orElseThrow();

        assertEquals(OrderStatus.CANCELLED, cancel.order().status());
        assertEquals(StockMove.RELEASE_RESERVED, cancel.stock());
    }

    @Test
    void repeated_and_foreign_answers_change_nothing() {
        Order capturing = capturing();
        assertTrue(saga.onReply(capturing, placed(capturing), T0.plusSeconds(3)).isEmpty(), "HoldPlaced again");
        assertTrue(saga.onReply(capturing, rejected(capturing, UUID.randomUUID(), RejectionReason.HOLD_EXISTS),
                T0.plusSeconds(3)).isEmpty(), "an answer to a command this order never sent");
        Order confirmed = saga.onReply(capturing, captured(capturing), T0.plusSeconds(3)).orElseThrow().order();
        assertTrue(saga.onReply(confirmed, captured(capturing), T0.plusSeconds(4)).isEmpty(), "HoldCaptured again");
        assertTrue(saga.onReply(confirmed, new LedgerEvent.HoldExpired(capturing.holdId(), 0), T0.plusSeconds(4)).isEmpty());
    }

    @Test
    void each_step_raises_the_version_and_only_appends_to_the_log() {
        Order authorizing = saga.place(draft, Optional.empty(), T0).order();
        Order capturing = saga.onReply(authorizing, placed(authorizing), T0.plusSeconds(1)).orElseThrow().order();

        assertEquals(authorizing.version() + 1, capturing.version());
        assertEquals(authorizing.log(), capturing.log().subList(0, authorizing.log().size()));
    }

    private Order capturing() {
        Order authorizing = saga.place(draft, Optional.empty(), T0).order();
        return saga.onReply(authorizing, placed(authorizing), T0.plusSeconds(1)).orElseThrow().order();
    }

    /** Capturing, then the capture timed out past its re-sends: compensating with the stock still taken. */
    private Order compensating() {
        Order order = capturing();
        while (order.step() == SagaStep.CAPTURING) {
            order = saga.onDeadline(order, order.deadlineAt()).order();
        }
        assertEquals(SagaStep.COMPENSATING, order.step());
        assertEquals(StockState.TAKEN, order.stock());
        return order;
    }

    private Order failed() {
        Order order = compensating();
        while (order.status() == OrderStatus.PENDING) {
            order = saga.onDeadline(order, order.deadlineAt()).order();
        }
        return order;
    }

    private static LedgerEvent.HoldPlaced placed(Order order) {
        return new LedgerEvent.HoldPlaced(order.placeCommandId(), order.holdId(), order.customerAccountId(), order.total(),
                order.currency(), T0.plus(Duration.ofMinutes(15)));
    }

    private static LedgerEvent.HoldCaptured captured(Order order) {
        return new LedgerEvent.HoldCaptured(order.captureCommandId(), order.holdId(), order.total(), 0, T0.plusSeconds(2));
    }

    private static LedgerEvent.HoldRejected rejected(Order order, UUID commandId, RejectionReason reason) {
        return new LedgerEvent.HoldRejected(commandId, order.holdId(), reason, "test");
    }

    private static List<String> log(Order order) {
        return order.log().stream().map(entry -> entry.name() + " " + entry.status()).toList();
    }
}
