package dev.corebank.account.ledger;

import static dev.corebank.messages.ledger.RejectionReason.ACCOUNT_NOT_FOUND;
import static dev.corebank.messages.ledger.RejectionReason.ACCOUNT_NOT_OPEN;
import static dev.corebank.messages.ledger.RejectionReason.CAPTURE_EXCEEDS_HOLD;
import static dev.corebank.messages.ledger.RejectionReason.CURRENCY_MISMATCH;
import static dev.corebank.messages.ledger.RejectionReason.HOLD_ALREADY_CAPTURED;
import static dev.corebank.messages.ledger.RejectionReason.HOLD_ALREADY_RESOLVED;
import static dev.corebank.messages.ledger.RejectionReason.HOLD_EXISTS;
import static dev.corebank.messages.ledger.RejectionReason.HOLD_EXPIRED;
import static dev.corebank.messages.ledger.RejectionReason.HOLD_NOT_FOUND;
import static dev.corebank.messages.ledger.RejectionReason.INSUFFICIENT_FUNDS;
import static dev.corebank.messages.ledger.RejectionReason.INVALID_AMOUNT;
import static dev.corebank.messages.ledger.RejectionReason.INVALID_REFERENCE;
import static dev.corebank.messages.ledger.RejectionReason.INVALID_EXPIRY;
import static dev.corebank.messages.ledger.RejectionReason.SAME_ACCOUNT;

import dev.corebank.account.accounts.Account;
import dev.corebank.account.accounts.AccountStatus;
import dev.corebank.account.hold.Hold;
import dev.corebank.account.hold.HoldStatus;
import dev.corebank.account.journal.JournalEntry;
import dev.corebank.account.journal.Movement;
import dev.corebank.messages.ledger.LedgerCommand;
import dev.corebank.messages.ledger.LedgerCommand.CaptureHold;
import dev.corebank.messages.ledger.LedgerCommand.PlaceHold;
import dev.corebank.messages.ledger.LedgerCommand.TransferFunds;
import dev.corebank.messages.ledger.LedgerCommand.VoidHold;
import dev.corebank.messages.ledger.LedgerEvent.HoldCaptured;
import dev.corebank.messages.ledger.LedgerEvent.HoldExpired;
import dev.corebank.messages.ledger.LedgerEvent.HoldPlaced;
import dev.corebank.messages.ledger.LedgerEvent.HoldVoided;
import dev.corebank.messages.ledger.LedgerEvent.TransferPosted;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The ledger's rules, applied in memory to accounts and holds that one transaction has locked. Any number
 * of movements may be applied in turn; each either changes the state as a whole or throws a
 * {@link LedgerRejection} having changed nothing. The repository then writes the outcome in a few bulk
 * statements: changed accounts (each version bumped once), movements, entries, holds.
 *
 * <p>Pure and single-threaded: no I/O, so every rule is tested with plain JUnit.
 */
public final class LedgerBatch {

    private final Map<UUID, Account> accounts;
    private final Map<UUID, Hold> holds;
    private final Instant now;
    private final long maxAmount;
    private final Map<UUID, Account> changedAccounts = new LinkedHashMap<>();
    private final Map<UUID, Hold> placedHolds = new LinkedHashMap<>();
    private final Map<UUID, Hold> resolvedHolds = new LinkedHashMap<>();
    private final List<Movement> movements = new ArrayList<>();
    private final List<JournalEntry> entries = new ArrayList<>();

    /**
     * @param accounts the locked accounts, including the system account of each currency that a deposit
     *                 or withdrawal of this batch uses
     * @param holds    the locked holds that commands of this batch name
     * @param now       the posting time of every movement of the batch
     * @param maxAmount the largest amount one movement or hold may have
     */
    public LedgerBatch(Collection<Account> accounts, Collection<Hold> holds, Instant now, long maxAmount) {
        this.accounts = new HashMap<>();
        accounts.forEach(account -> this.accounts.put(account.id(), account));
        this.holds = new HashMap<>();
        holds.forEach(hold -> this.holds.put(hold.id(), hold));
        this.now = now;
        this.maxAmount = maxAmount;
    }

    public TransferPosted transfer(TransferFunds command) {
        requirePositive(command.amount());
        requireStorable(command.reference());
        if (command.fromAccountId().equals(command.toAccountId())) {
            throw new LedgerRejection(SAME_ACCOUNT, "a transfer needs two different accounts");
        }
        Account from = party(command.fromAccountId(), command.currency());
        Account to = party(command.toAccountId(), command.currency());
        requireFunds(from, command.amount());
        post(command.commandId(), Movement.Kind.TRANSFER, command.currency(), command.amount(), command.reference(),
                from, to);
        return new TransferPosted(command.commandId(), from.id(), to.id(), command.amount(), command.currency(), now);
    }

    /** Credits {@code accountId} from the bank's cash of its currency; returns the account after. */
    public Account deposit(UUID movementId, UUID accountId, long amount, String reference) {
        requirePositive(amount);
        requireStorable(reference);
        Account account = customer(accountId);
        Account cash = systemAccount(account.currency());
        post(movementId, Movement.Kind.DEPOSIT, account.currency(), amount, reference, cash, account);
        return accounts.get(accountId);
    }

    /** Pays {@code amount} out of {@code accountId} to the bank's cash; returns the account after. */
    public Account withdraw(UUID movementId, UUID accountId, long amount, String reference) {
        requirePositive(amount);
        requireStorable(reference);
        Account account = customer(accountId);
        requireFunds(account, amount);
        Account cash = systemAccount(account.currency());
        post(movementId, Movement.Kind.WITHDRAWAL, account.currency(), amount, reference, account, cash);
        return accounts.get(accountId);
    }

    public HoldPlaced placeHold(PlaceHold command) {
        requirePositive(command.amount());
        requireStorable(command.reference());
        if (holds.containsKey(command.holdId())) {
            throw new LedgerRejection(HOLD_EXISTS, "hold " + command.holdId() + " already exists");
        }
        if (!command.expiresAt().isAfter(now)) {
            throw new LedgerRejection(INVALID_EXPIRY, "the hold would expire at " + command.expiresAt() + ", not after now");
        }
        if (command.accountId().equals(command.creditAccountId())) {
            throw new LedgerRejection(SAME_ACCOUNT, "a hold needs two different accounts");
        }
        Account debit = party(command.accountId(), command.currency());
        party(command.creditAccountId(), command.currency());
        requireFunds(debit, command.amount());
        change(debit.withBalances(debit.balance(), debit.held() + command.amount()));
        Hold hold = new Hold(command.holdId(), debit.id(), command.creditAccountId(), command.currency(),
                command.amount(), HoldStatus.PLACED, null, command.reference(), command.expiresAt(),
                command.commandId(), null, now, null);
        holds.put(hold.id(), hold);
        placedHolds.put(hold.id(), hold);
        return new HoldPlaced(command.commandId(), hold.id(), debit.id(), hold.amount(), hold.currency(), hold.expiresAt());
    }

    /** Moves {@code amount} of the hold to its credit account; whatever remains of the hold is released. */
    public HoldCaptured capture(CaptureHold command) {
        Hold hold = resolvable(command.holdId());
        requirePositive(command.amount());
        if (command.amount() > hold.amount()) {
            throw new LedgerRejection(CAPTURE_EXCEEDS_HOLD,
                    "capture of " + command.amount() + " exceeds the hold's " + hold.amount());
        }
        Account debit = existing(hold.accountId());
        Account credit = open(hold.creditAccountId(), hold.currency());
        // The hold's money was set aside when it was placed: capturing moves it whatever the debit account's
        // status or available balance is now.
        post(command.commandId(), Movement.Kind.HOLD_CAPTURE, hold.currency(), command.amount(), hold.reference(),
                debit, credit);
        release(accounts.get(debit.id()), hold.amount());
        resolve(hold, HoldStatus.CAPTURED, command.amount(), command.commandId());
        return new HoldCaptured(command.commandId(), hold.id(), command.amount(), hold.amount() - command.amount(), now);
    }

    public HoldVoided voidHold(VoidHold command) {
        Hold hold = resolvable(command.holdId());
        release(existing(hold.accountId()), hold.amount());
        resolve(hold, HoldStatus.VOIDED, null, command.commandId());
        return new HoldVoided(command.commandId(), hold.id(), hold.amount());
    }

    /** Releases a placed hold whose expiry has passed. */
    public HoldExpired expire(UUID holdId) {
        Hold hold = placed(holdId);
        if (!hold.expiredAt(now)) {
            throw new IllegalStateException("hold " + holdId + " expires at " + hold.expiresAt() + ", not yet");
        }
        release(existing(hold.accountId()), hold.amount());
        resolve(hold, HoldStatus.EXPIRED, null, null);
        return new HoldExpired(hold.id(), hold.amount());
    }

    /** The accounts this batch changed, in their final state, each version one higher than when locked. */
    public List<Account> changedAccounts() {
        return changedAccounts.values().stream()
                .map(account -> account.withVersion(account.version() + 1))
                .toList();
    }

    /** Holds this batch placed, as placed (some may be resolved later in the batch too). */
    public List<Hold> placedHolds() {
        return List.copyOf(placedHolds.values());
    }

    /** Holds this batch resolved, as resolved. */
    public List<Hold> resolvedHolds() {
        return List.copyOf(resolvedHolds.values());
    }

    public List<Movement> movements() {
        return List.copyOf(movements);
    }

    public List<JournalEntry> entries() {
        return List.copyOf(entries);
    }

    private void post(UUID movementId, Movement.Kind kind, String currency, long amount, String reference,
            Account debit, Account credit) {
        long debitBalance;
        long creditBalance;
        try {
            debitBalance = Math.subtractExact(debit.balance(), amount);
            creditBalance = Math.addExact(credit.balance(), amount);
        } catch (ArithmeticException e) {
            throw new LedgerRejection(INVALID_AMOUNT, "the balance would overflow");
        }
        change(debit.withBalances(debitBalance, debit.held()));
        change(credit.withBalances(creditBalance, credit.held()));
        movements.add(new Movement(movementId, kind, currency, amount, reference, now));
        entries.add(new JournalEntry(null, movementId, debit.id(), kind, -amount, debitBalance, now));
        entries.add(new JournalEntry(null, movementId, credit.id(), kind, amount, creditBalance, now));
    }

    private void release(Account account, long amount) {
        change(account.withBalances(account.balance(), account.held() - amount));
    }

    private void resolve(Hold hold, HoldStatus status, Long capturedAmount, UUID command) {
        Hold resolved = hold.resolved(status, capturedAmount, command, now);
        holds.put(hold.id(), resolved);
        resolvedHolds.put(hold.id(), resolved);
    }

    private void change(Account account) {
        accounts.put(account.id(), account);
        changedAccounts.put(account.id(), account);
    }

    private Hold placed(UUID holdId) {
        Hold hold = holds.get(holdId);
        if (hold == null) {
            throw new LedgerRejection(HOLD_NOT_FOUND, "no hold " + holdId);
        }
        if (hold.status() == HoldStatus.CAPTURED) {
            throw new LedgerRejection(HOLD_ALREADY_CAPTURED, "hold " + holdId + " is already CAPTURED");
        }
        if (hold.status() != HoldStatus.PLACED) {
            throw new LedgerRejection(HOLD_ALREADY_RESOLVED, "hold " + holdId + " is already " + hold.status());
        }
        return hold;
    }

    private Hold resolvable(UUID holdId) {
        Hold hold = placed(holdId);
        if (hold.expiredAt(now)) {
            throw new LedgerRejection(HOLD_EXPIRED, "hold " + holdId + " expired at " + hold.expiresAt());
        }
        return hold;
    }

    private Account existing(UUID id) {
        Account account = accounts.get(id);
        if (account == null) {
            throw new LedgerRejection(ACCOUNT_NOT_FOUND, "no account " + id);
        }
        return account;
    }

    private Account open(UUID id, String currency) {
        Account account = existing(id);
        if (account.status() != AccountStatus.OPEN) {
            throw new LedgerRejection(ACCOUNT_NOT_OPEN, "account " + id + " is " + account.status());
        }
        if (!account.currency().equals(currency)) {
            throw new LedgerRejection(CURRENCY_MISMATCH,
                    "account " + id + " holds " + account.currency() + ", not " + currency);
        }
        return account;
    }

    /** A customer account in {@code currency}: the bank's cash accounts move money only as deposits and withdrawals. */
    private Account party(UUID id, String currency) {
        Account account = existing(id);
        if (account.system()) {
            throw new LedgerRejection(ACCOUNT_NOT_OPEN, "account " + id + " is the bank's own; it takes part in deposits "
                    + "and withdrawals only");
        }
        return open(id, currency);
    }

    private Account customer(UUID id) {
        return party(id, existing(id).currency());
    }

    private Account systemAccount(String currency) {
        return accounts.values().stream()
                .filter(account -> account.system() && account.currency().equals(currency))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the " + currency + " system account was not locked"));
    }

    /**
     * A reference the journal and holds tables can keep. Refused here, the command is answered; refused by the
     * tables, it would fail its whole batch and then, alone, its every retry and every re-send.
     */
    private static void requireStorable(String reference) {
        if (reference == null) {
            return;
        }
        if (reference.length() > LedgerCommand.MAX_REFERENCE_LENGTH) {
            throw new LedgerRejection(INVALID_REFERENCE, "the reference may have at most "
                    + LedgerCommand.MAX_REFERENCE_LENGTH + " characters, it has " + reference.length());
        }
        if (reference.indexOf('\0') >= 0) {
            throw new LedgerRejection(INVALID_REFERENCE, "the reference holds a NUL character");
        }
    }

    private void requirePositive(long amount) {
        if (amount <= 0 || amount > maxAmount) {
            throw new LedgerRejection(INVALID_AMOUNT, "the amount must be from 1 to " + maxAmount + ", got " + amount);
        }
    }

    /**
     * The rejection names what was asked, never the account's balance or limit: it travels in replies that
     * others may read (the recipient of a refused transfer sees its detail), and the owner can read its own.
     */
    private static void requireFunds(Account account, long amount) {
        if (!account.canSpend(amount)) {
            throw new LedgerRejection(INSUFFICIENT_FUNDS, "account " + account.id() + " cannot spend " + amount
                    + ": not enough available within its overdraft limit");
        }
    }
}
