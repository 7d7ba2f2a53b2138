package dev.corebank.account.ledger;

import dev.corebank.account.accounts.Account;
import dev.corebank.account.accounts.AccountEvents;
import dev.corebank.account.accounts.AccountRepository;
import dev.corebank.account.config.LedgerConfig;
import dev.corebank.account.hold.Hold;
import dev.corebank.account.hold.HoldRepository;
import dev.corebank.account.journal.JournalRepository;
import dev.corebank.messages.ledger.LedgerEvent;
import dev.corebank.platform.outbox.Outbox;
import dev.corebank.platform.outbox.OutboxEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The one way money moves: lock the accounts (ascending id), then the holds (ascending id), apply the
 * ledger's rules to them in memory ({@link LedgerBatch}), and write the outcome, the answers and the
 * events in the same transaction. Kafka commands, HTTP deposits and withdrawals, and hold expiry all come
 * through here.
 */
@Singleton
public class Ledger {

    private final AccountRepository accounts;
    private final HoldRepository holds;
    private final JournalRepository journal;
    private final AnswerRepository answers;
    private final AccountEvents accountEvents;
    private final Outbox outbox;
    private final LedgerConfig config;
    private final MeterRegistry registry;

    public Ledger(AccountRepository accounts, HoldRepository holds, JournalRepository journal, AnswerRepository answers,
            AccountEvents accountEvents, Outbox outbox, LedgerConfig config, MeterRegistry registry) {
        this.accounts = accounts;
        this.holds = holds;
        this.journal = journal;
        this.answers = answers;
        this.accountEvents = accountEvents;
        this.outbox = outbox;
        this.config = config;
        this.registry = registry;
    }

    /**
     * Locks {@code accountIds} then {@code holdIds} in {@code tx} and returns them as a batch. The posting
     * time is read once the locks are held, so on any one account it grows in commit order.
     *
     * @throws LockSetChanged (failing the Uni) when a hold locked here names an account that was not locked:
     *                        it was placed after the caller looked; the whole transaction is to be retried
     */
    public Uni<LedgerBatch> lock(SqlConnection tx, Collection<UUID> accountIds, Collection<UUID> holdIds) {
        Set<UUID> sortedAccounts = new TreeSet<>(accountIds);
        Set<UUID> sortedHolds = new TreeSet<>(holdIds);
        // Issued together, taken in this order: the accounts, then the holds.
        return Uni.combine().all().unis(accounts.lock(tx, sortedAccounts), holds.lock(tx, sortedHolds))
                .combinedWith((locked, lockedHolds) -> {
                    requireLocked(lockedHolds, sortedAccounts);
                    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
                    return new LedgerBatch(locked, lockedHolds, now, config.maxAmount());
                });
    }

    private static void requireLocked(List<Hold> lockedHolds, Set<UUID> lockedAccounts) {
        for (Hold hold : lockedHolds) {
            if (!lockedAccounts.contains(hold.accountId()) || !lockedAccounts.contains(hold.creditAccountId())) {
                throw new LockSetChanged("hold " + hold.id() + " appeared after its accounts were chosen for locking");
            }
        }
    }

    /**
     * Writes what {@code batch} did, the commands' answers, and the events: the given replies plus an
     * AccountChanged for every account whose state changed. No statement here needs another's answer, so they
     * are issued together, and run in this order (the outbox append last, as it must be): in a pipelined
     * transaction ({@link dev.corebank.platform.tx.Transactions}) that is one round trip.
     */
    public Uni<Void> write(SqlConnection tx, LedgerBatch batch, List<Answer> answered, List<OutboxEvent> replies) {
        List<Account> changed = batch.changedAccounts();
        List<OutboxEvent> events = new ArrayList<>(replies);
        changed.forEach(account -> events.add(accountEvents.changed(account)));
        return Uni.combine().all().unis(
                        accounts.writeBalances(tx, changed),
                        holds.write(tx, batch.placedHolds(), batch.resolvedHolds()),
                        journal.write(tx, batch.movements(), batch.entries()),
                        answers.insert(tx, answered),
                        outbox.append(tx, events))
                .discardItems()
                .invoke(() -> count(batch));
    }

    /** An event on the ledger's event topic, keyed by {@code aggregateId}. */
    public OutboxEvent event(UUID id, String aggregateType, UUID aggregateId, LedgerEvent payload) {
        return new OutboxEvent(id, config.topics().events(), aggregateType, aggregateId.toString(),
                payload.getClass().getSimpleName(), payload, Map.of());
    }

    public String eventTopic() {
        return config.topics().events();
    }

    private void count(LedgerBatch batch) {
        batch.movements().forEach(movement -> registry.counter("ledger.movements", "kind", movement.kind().name())
                .increment());
    }
}
