package dev.corebank.account.accounts;

import dev.corebank.account.journal.JournalEntry;
import dev.corebank.account.journal.JournalRepository;
import dev.corebank.account.journal.StatementCursor;
import dev.corebank.account.readmodel.AccountReadModel;
import dev.corebank.messages.ledger.AccountChanged;
import dev.corebank.platform.id.UuidV7;
import dev.corebank.platform.outbox.Outbox;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/** Opening, reading and editing accounts. Money moves elsewhere ({@link dev.corebank.account.ledger.Ledger}). */
@Singleton
public class AccountService {

    private static final Logger LOG = Logger.getLogger(AccountService.class);
    private static final int REBUILD_PAGE = 500;

    private final Pool pool;
    private final AccountRepository accounts;
    private final AccountReadModel readModel;
    private final AccountEvents events;
    private final JournalRepository journal;
    private final Outbox outbox;

    public AccountService(Pool pool, AccountRepository accounts, AccountReadModel readModel, AccountEvents events,
            JournalRepository journal, Outbox outbox) {
        this.pool = pool;
        this.accounts = accounts;
        this.readModel = readModel;
        this.events = events;
        this.journal = journal;
        this.outbox = outbox;
    }

    /** Opens an account, and the bank's cash account of its currency if this is the currency's first. */
    public Uni<Account> open(String ownerId, String currency, long overdraftLimit) {
        Account account = new Account(UuidV7.next(), ownerId, currency, false, 0, 0, overdraftLimit, AccountStatus.OPEN, 0);
        return pool.withTransaction(tx -> accounts.ensureSystemAccount(tx, UuidV7.next(), currency)
                .chain(() -> accounts.insert(tx, account))
                .call(opened -> outbox.append(tx, events.changed(opened))));
    }

    /**
     * The account from the Redis read model when it holds at least {@code minVersion}, else from PostgreSQL
     * (which then refreshes the read model). Redis being down only makes every read a PostgreSQL read.
     */
    public Uni<Read> find(UUID id, OptionalLong minVersion) {
        return readModel.get(id)
                .onFailure().invoke(e -> LOG.debugf("read model unavailable (%s); reading PostgreSQL", e.getMessage()))
                .onFailure().recoverWithItem(Optional.empty())
                .chain(cached -> cached
                        .filter(state -> minVersion.isEmpty() || state.version() >= minVersion.getAsLong())
                        .map(state -> Uni.createFrom().item(new Read(state, Read.Source.CACHE)))
                        .orElseGet(() -> fromDatabase(id)));
    }

    private Uni<Read> fromDatabase(UUID id) {
        return accounts.find(pool, id)
                .map(found -> found.orElseThrow(() -> new AccountNotFound(id)).changed())
                .call(state -> readModel.put(state)
                        .onFailure().invoke(e -> LOG.debugf("read model not refreshed: %s", e.getMessage()))
                        .onFailure().recoverWithNull())
                .map(state -> new Read(state, Read.Source.DATABASE));
    }

    /** Up to {@code limit} of the account's journal entries older than {@code before}, newest first. */
    public Uni<List<JournalEntry>> statement(UUID id, StatementCursor before, int limit) {
        return accounts.find(pool, id)
                .map(found -> found.orElseThrow(() -> new AccountNotFound(id)))
                .chain(account -> journal.statement(pool, id, before, limit));
    }

    /**
     * Changes status and overdraft limit, only if the account is still at {@code expectedVersion}. A null
     * argument keeps the current value.
     */
    public Uni<Account> edit(UUID id, long expectedVersion, AccountStatus status, Long overdraftLimit) {
        return pool.withTransaction(tx -> accounts.find(tx, id)
                .map(found -> found.orElseThrow(() -> new AccountNotFound(id)))
                .chain(current -> {
                    // The rules are checked against the version read here, so the edit may apply only to that
                    // version: never to one the client names ahead of it, which may commit before the UPDATE
                    // runs (each statement reads the latest commits) without having been checked.
                    if (current.version() != expectedVersion) {
                        return Uni.createFrom().failure(new VersionMismatch(expectedVersion));
                    }
                    AccountStatus nextStatus = status == null ? current.status() : status;
                    check(current, nextStatus);
                    long nextLimit = overdraftLimit == null ? current.overdraftLimit() : overdraftLimit;
                    return accounts.edit(tx, id, expectedVersion, nextStatus, nextLimit);
                })
                .map(edited -> edited.orElseThrow(() -> new VersionMismatch(expectedVersion)))
                .call(edited -> outbox.append(tx, events.changed(edited))));
    }

    private static void check(Account current, AccountStatus next) {
        if (current.system()) {
            throw new IllegalAccountChange("the bank's own accounts are not edited over the API");
        }
        if (!current.status().canChangeTo(next)) {
            throw new IllegalAccountChange("a CLOSED account stays closed");
        }
        if (next == AccountStatus.CLOSED && current.status() != AccountStatus.CLOSED
                && (current.balance() != 0 || current.held() != 0)) {
            throw new IllegalAccountChange("only an account with no balance and no open holds can be closed; it has "
                    + current.balance() + " and " + current.held() + " held");
        }
    }

    /** Writes every account from PostgreSQL to the read model (if newer than Redis has it); returns how many it went through. */
    public Uni<Long> rebuildReadModel() {
        AtomicLong seen = new AtomicLong();
        return Multi.createBy().repeating()
                .uni(Walk::new, cursor -> accounts.page(pool, cursor.last, REBUILD_PAGE)
                        .invoke(page -> cursor.advance(page.isEmpty() ? null : page.get(page.size() - 1).id())))
                .whilst(page -> page.size() == REBUILD_PAGE)
                .onItem().transformToUniAndConcatenate(page -> readModel.putAll(page.stream().map(Account::changed).toList())
                        .invoke(() -> seen.addAndGet(page.size())))
                .collect().last()
                .map(ignored -> seen.get());
    }

    /** Where the rebuild's walk through the accounts table is. */
    private static final class Walk {
        private UUID last = new UUID(0, 0);

        void advance(UUID next) {
            if (next != null) {
                last = next;
            }
        }
    }

    /** An account state and where it was read from. */
    public record Read(AccountChanged account, Source source) {

        public enum Source {
            CACHE,
            DATABASE
        }
    }
}
