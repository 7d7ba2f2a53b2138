package dev.corebank.account.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corebank.account.accounts.Account;
import dev.corebank.account.accounts.AccountStatus;
import dev.corebank.account.hold.Hold;
import dev.corebank.account.hold.HoldStatus;
import dev.corebank.account.journal.JournalEntry;
import dev.corebank.messages.ledger.LedgerCommand;
import dev.corebank.messages.ledger.LedgerCommand.CaptureHold;
import dev.corebank.messages.ledger.LedgerCommand.PlaceHold;
import dev.corebank.messages.ledger.LedgerCommand.TransferFunds;
import dev.corebank.messages.ledger.LedgerCommand.VoidHold;
import dev.corebank.messages.ledger.RejectionReason;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The ledger's rules in memory: no database, no broker. */
class LedgerBatchTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    private final Account alice = account(100, 0, AccountStatus.OPEN, "EUR");
    private final Account bob = account(0, 50, AccountStatus.OPEN, "EUR");
    private final Account frozen = account(500, 0, AccountStatus.FROZEN, "EUR");
    private final Account dollars = account(500, 0, AccountStatus.OPEN, "USD");
    private final Account cash = new Account(UUID.randomUUID(), Account.BANK, "EUR", true, -100, 0, 0, AccountStatus.OPEN, 3);

    @Test
    void a_transfer_moves_money_in_two_balanced_entries() {
        LedgerBatch batch = batch();
        batch.transfer(transfer(alice, bob, 60));

        Map<UUID, Account> after = byId(batch.changedAccounts());
        assertEquals(40, after.get(alice.id()).balance());
        assertEquals(60, after.get(bob.id()).balance());
        assertEquals(1, batch.movements().size());
        assertEquals(0, batch.entries().stream().mapToLong(JournalEntry::amount).sum(), "entries sum to zero");
        assertEquals(List.of(40L, 60L), batch.entries().stream().map(JournalEntry::balanceAfter).toList());
    }

    @Test
    void many_movements_on_one_account_bump_its_version_once() {
        LedgerBatch batch = batch();
        batch.transfer(transfer(alice, bob, 10));
        batch.transfer(transfer(alice, bob, 10));
        batch.transfer(transfer(bob, alice, 5));

        Map<UUID, Account> after = byId(batch.changedAccounts());
        assertEquals(alice.version() + 1, after.get(alice.id()).version());
        assertEquals(85, after.get(alice.id()).balance());
        assertEquals(6, batch.entries().size());
    }

    @Test
    void spending_stops_at_the_overdraft_limit() {
        LedgerBatch batch = batch();
        batch.transfer(transfer(bob, alice, 50));  // bob may go to -50
        rejected(RejectionReason.INSUFFICIENT_FUNDS, () -> batch.transfer(transfer(bob, alice, 1)));
        assertEquals(-50, byId(batch.changedAccounts()).get(bob.id()).balance());
    }

    @Test
    void each_refusal_names_its_reason_and_changes_nothing() {
        LedgerBatch batch = batch();
        rejected(RejectionReason.SAME_ACCOUNT, () -> batch.transfer(transfer(alice, alice, 1)));
        rejected(RejectionReason.INVALID_AMOUNT, () -> batch.transfer(transfer(alice, bob, 0)));
        rejected(RejectionReason.INVALID_AMOUNT, () -> batch.transfer(transfer(alice, bob, -5)));
        rejected(RejectionReason.ACCOUNT_NOT_FOUND, () -> batch.transfer(
                new TransferFunds(UUID.randomUUID(), alice.id(), UUID.randomUUID(), 1, "EUR", null)));
        rejected(RejectionReason.ACCOUNT_NOT_OPEN, () -> batch.transfer(transfer(frozen, bob, 1)));
        rejected(RejectionReason.ACCOUNT_NOT_OPEN, () -> batch.transfer(transfer(alice, frozen, 1)));
        rejected(RejectionReason.CURRENCY_MISMATCH, () -> batch.transfer(transfer(alice, dollars, 1)));
        rejected(RejectionReason.CURRENCY_MISMATCH, () -> batch.transfer(
                new TransferFunds(UUID.randomUUID(), alice.id(), bob.id(), 1, "USD", null)));
        rejected(RejectionReason.INSUFFICIENT_FUNDS, () -> batch.transfer(transfer(alice, bob, 101)));

        assertTrue(batch.changedAccounts().isEmpty());
        assertTrue(batch.entries().isEmpty());
    }

    @Test
    void the_banks_cash_account_is_never_a_party_to_a_transfer_or_hold() {
        LedgerBatch batch = batch();
        rejected(RejectionReason.ACCOUNT_NOT_OPEN, () -> batch.transfer(transfer(cash, alice, 1_000_000)));
        rejected(RejectionReason.ACCOUNT_NOT_OPEN, () -> batch.transfer(transfer(alice, cash, 1)));
        rejected(RejectionReason.ACCOUNT_NOT_OPEN, () -> batch.placeHold(place(UUID.randomUUID(), cash, alice, 1_000_000)));
        assertTrue(batch.changedAccounts().isEmpty());
    }

    @Test
    void amounts_above_the_maximum_are_refused() {
        LedgerBatch batch = batch();
        rejected(RejectionReason.INVALID_AMOUNT, () -> batch.placeHold(place(UUID.randomUUID(), bob, alice, Long.MAX_VALUE)));
        rejected(RejectionReason.INVALID_AMOUNT, () -> batch.transfer(transfer(bob, alice, 1_000_000_000_001L)));
    }

    @Test
    void a_capture_refused_for_overflow_changes_nothing() {
        Account rich = account(Long.MAX_VALUE - 10, 0, AccountStatus.OPEN, "EUR");
        Hold hold = new Hold(UUID.randomUUID(), alice.id(), rich.id(), "EUR", 40, HoldStatus.PLACED, null, null,
                NOW.plusSeconds(60), UUID.randomUUID(), null, NOW, null);
        LedgerBatch batch = new LedgerBatch(List.of(alice.withBalances(100, 40), rich), List.of(hold), NOW, 1_000_000_000_000L);

        rejected(RejectionReason.INVALID_AMOUNT, () -> batch.capture(new CaptureHold(UUID.randomUUID(), hold.id(), 40)));
        assertTrue(batch.changedAccounts().isEmpty(), "held is still 40");
        assertTrue(batch.resolvedHolds().isEmpty());
    }

    @Test
    void a_balance_that_would_overflow_is_refused() {
        Account rich = account(Long.MAX_VALUE - 10, 0, AccountStatus.OPEN, "EUR");
        LedgerBatch batch = new LedgerBatch(List.of(alice, rich), List.of(), NOW, 1_000_000_000_000L);
        rejected(RejectionReason.INVALID_AMOUNT, () -> batch.transfer(transfer(alice, rich, 11)));
    }

    @Test
    void deposits_and_withdrawals_are_double_entries_against_the_bank() {
        LedgerBatch batch = batch();
        batch.deposit(UUID.randomUUID(), alice.id(), 30, "cash in");
        batch.withdraw(UUID.randomUUID(), alice.id(), 130, "cash out");
        rejected(RejectionReason.INSUFFICIENT_FUNDS, () -> batch.withdraw(UUID.randomUUID(), alice.id(), 1, null));
        rejected(RejectionReason.ACCOUNT_NOT_OPEN, () -> batch.deposit(UUID.randomUUID(), cash.id(), 1, null));

        Map<UUID, Account> after = byId(batch.changedAccounts());
        assertEquals(0, after.get(alice.id()).balance());
        assertEquals(-100 - 30 + 130, after.get(cash.id()).balance());
    }

    @Test
    void a_hold_reserves_then_a_partial_capture_moves_part_and_releases_the_rest() {
        LedgerBatch batch = batch();
        UUID hold = UUID.randomUUID();
        batch.placeHold(place(hold, alice, bob, 80));
        assertEquals(20, byId(batch.changedAccounts()).get(alice.id()).available());
        rejected(RejectionReason.INSUFFICIENT_FUNDS, () -> batch.transfer(transfer(alice, bob, 21)));

        var captured = batch.capture(new CaptureHold(UUID.randomUUID(), hold, 30));

        assertEquals(50, captured.releasedAmount());
        Map<UUID, Account> after = byId(batch.changedAccounts());
        assertEquals(70, after.get(alice.id()).balance());
        assertEquals(0, after.get(alice.id()).held());
        assertEquals(30, after.get(bob.id()).balance());
        assertEquals(1, batch.placedHolds().size());
        assertEquals(HoldStatus.CAPTURED, batch.resolvedHolds().get(0).status());
    }

    @Test
    void a_captured_hold_refuses_a_void_or_second_capture_as_captured_and_moves_nothing_more() {
        LedgerBatch batch = batch();
        UUID hold = UUID.randomUUID();
        batch.placeHold(place(hold, alice, bob, 10));
        batch.capture(new CaptureHold(UUID.randomUUID(), hold, 10));

        rejected(RejectionReason.HOLD_ALREADY_CAPTURED, () -> batch.voidHold(new VoidHold(UUID.randomUUID(), hold)));
        rejected(RejectionReason.HOLD_ALREADY_CAPTURED, () -> batch.capture(new CaptureHold(UUID.randomUUID(), hold, 10)));
        Map<UUID, Account> after = byId(batch.changedAccounts());
        assertEquals(90, after.get(alice.id()).balance());
        assertEquals(90, after.get(alice.id()).available(), "the void released nothing twice");
        assertEquals(10, after.get(bob.id()).balance());
    }

    @Test
    void a_hold_resolves_exactly_once() {
        LedgerBatch batch = batch();
        UUID hold = UUID.randomUUID();
        batch.placeHold(place(hold, alice, bob, 10));
        batch.voidHold(new VoidHold(UUID.randomUUID(), hold));

        rejected(RejectionReason.HOLD_ALREADY_RESOLVED, () -> batch.voidHold(new VoidHold(UUID.randomUUID(), hold)));
        rejected(RejectionReason.HOLD_ALREADY_RESOLVED, () -> batch.capture(new CaptureHold(UUID.randomUUID(), hold, 10)));
        rejected(RejectionReason.HOLD_ALREADY_RESOLVED, () -> batch.expire(hold));
        rejected(RejectionReason.HOLD_EXISTS, () -> batch.placeHold(place(hold, alice, bob, 10)));
        rejected(RejectionReason.HOLD_NOT_FOUND, () -> batch.voidHold(new VoidHold(UUID.randomUUID(), UUID.randomUUID())));
        assertEquals(100, byId(batch.changedAccounts()).get(alice.id()).available());
    }

    @Test
    void holds_refuse_what_cannot_be() {
        LedgerBatch batch = batch();
        UUID hold = UUID.randomUUID();
        batch.placeHold(place(hold, alice, bob, 10));
        rejected(RejectionReason.CAPTURE_EXCEEDS_HOLD, () -> batch.capture(new CaptureHold(UUID.randomUUID(), hold, 11)));
        rejected(RejectionReason.INVALID_AMOUNT, () -> batch.capture(new CaptureHold(UUID.randomUUID(), hold, 0)));
        rejected(RejectionReason.INSUFFICIENT_FUNDS, () -> batch.placeHold(place(UUID.randomUUID(), alice, bob, 91)));
        rejected(RejectionReason.INVALID_EXPIRY, () -> batch.placeHold(new PlaceHold(UUID.randomUUID(), UUID.randomUUID(),
                alice.id(), bob.id(), 1, "EUR", NOW, null)));
    }

    @Test
    void references_the_journal_cannot_keep_are_rejected_and_move_nothing() {
        LedgerBatch batch = batch();
        String longest = "r".repeat(LedgerCommand.MAX_REFERENCE_LENGTH);
        batch.transfer(new TransferFunds(UUID.randomUUID(), alice.id(), bob.id(), 1, "EUR", longest));

        for (String reference : List.of(longest + "r", "a\0b")) {
            rejected(RejectionReason.INVALID_REFERENCE,
                    () -> batch.transfer(new TransferFunds(UUID.randomUUID(), alice.id(), bob.id(), 1, "EUR", reference)));
            rejected(RejectionReason.INVALID_REFERENCE, () -> batch.placeHold(new PlaceHold(UUID.randomUUID(),
                    UUID.randomUUID(), alice.id(), bob.id(), 1, "EUR", NOW.plusSeconds(60), reference)));
            rejected(RejectionReason.INVALID_REFERENCE, () -> batch.deposit(UUID.randomUUID(), alice.id(), 1, reference));
            rejected(RejectionReason.INVALID_REFERENCE, () -> batch.withdraw(UUID.randomUUID(), alice.id(), 1, reference));
        }
        assertEquals(1, batch.movements().size(), "only the transfer with the longest allowed reference");
        assertEquals(99, byId(batch.changedAccounts()).get(alice.id()).balance());
    }

    @Test
    void an_expired_hold_can_no_longer_be_captured_and_expiry_releases_it() {
        Hold due = new Hold(UUID.randomUUID(), alice.id(), bob.id(), "EUR", 40, HoldStatus.PLACED, null, null,
                NOW.minusSeconds(1), UUID.randomUUID(), null, NOW.minusSeconds(60), null);
        Account aliceHolding = alice.withBalances(100, 40);
        LedgerBatch batch = new LedgerBatch(List.of(aliceHolding, bob), List.of(due), NOW, 1_000_000_000_000L);

        rejected(RejectionReason.HOLD_EXPIRED, () -> batch.capture(new CaptureHold(UUID.randomUUID(), due.id(), 10)));
        assertEquals(40, batch.expire(due.id()).releasedAmount());
        assertEquals(0, byId(batch.changedAccounts()).get(alice.id()).held());
        assertEquals(HoldStatus.EXPIRED, batch.resolvedHolds().get(0).status());
    }

    /**
     * The rule for FROZEN accounts and holds: a freeze stops new spending (no transfer, no new hold), but a hold
     * placed before it is still captured: its money was set aside then, and the order it pays for was
     * confirmed to the merchant on that reservation. Money is never captured into a FROZEN account.
     */
    @Test
    void a_hold_placed_before_a_freeze_is_still_captured_but_a_frozen_account_takes_no_new_hold_nor_any_capture() {
        Account customer = new Account(UUID.randomUUID(), "owner", "EUR", false, 500, 80, 0, AccountStatus.FROZEN, 7);
        Hold toBob = hold(customer, bob, 80);
        Hold toFrozen = hold(alice, frozen, 10);
        LedgerBatch batch = new LedgerBatch(List.of(customer, alice, bob, frozen), List.of(toBob, toFrozen), NOW, 1_000_000_000_000L);

        rejected(RejectionReason.ACCOUNT_NOT_OPEN, () -> batch.placeHold(place(UUID.randomUUID(), customer, bob, 10)));
        rejected(RejectionReason.ACCOUNT_NOT_OPEN, () -> batch.capture(new CaptureHold(UUID.randomUUID(), toFrozen.id(), 10)));
        batch.capture(new CaptureHold(UUID.randomUUID(), toBob.id(), 80));

        Map<UUID, Account> after = byId(batch.changedAccounts());
        assertEquals(420, after.get(customer.id()).balance());
        assertEquals(0, after.get(customer.id()).held());
        assertEquals(AccountStatus.FROZEN, after.get(customer.id()).status());
        assertEquals(80, after.get(bob.id()).balance());
        assertEquals(null, after.get(frozen.id()), "nothing reached the frozen account");
    }

    private static Hold hold(Account from, Account to, long amount) {
        return new Hold(UUID.randomUUID(), from.id(), to.id(), "EUR", amount, HoldStatus.PLACED, null, null,
                NOW.plusSeconds(60), UUID.randomUUID(), null, NOW.minusSeconds(10), null);
    }

    private LedgerBatch batch() {
        return new LedgerBatch(List.of(alice, bob, frozen, dollars, cash), List.of(), NOW, 1_000_000_000_000L);
    }

    private static Account account(long balance, long overdraft, AccountStatus status, String currency) {
        return new Account(UUID.randomUUID(), "owner", currency, false, balance, 0, overdraft, status, 7);
    }

    private static TransferFunds transfer(Account from, Account to, long amount) {
        return new TransferFunds(UUID.randomUUID(), from.id(), to.id(), amount, from.currency(), null);
    }

    private static PlaceHold place(UUID hold, Account from, Account to, long amount) {
        return new PlaceHold(UUID.randomUUID(), hold, from.id(), to.id(), amount, "EUR", NOW.plusSeconds(60), null);
    }

    private static Map<UUID, Account> byId(List<Account> accounts) {
        return accounts.stream().collect(Collectors.toMap(Account::id, Function.identity()));
    }

    private static void rejected(RejectionReason reason, Executable action) {
        LedgerRejection rejection = assertThrows(LedgerRejection.class, action);
        assertEquals(reason, rejection.reason(), rejection.getMessage());
    }
}
