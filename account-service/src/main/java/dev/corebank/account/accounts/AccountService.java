package dev.corebank.account.accounts;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.corebank.account.journal.JournalEntry;
import dev.corebank.account.journal.JournalRepository;
import dev.corebank.account.journal.StatementCursor;
import dev.corebank.account.readmodel.AccountReadModel;
import dev.corebank.messages.ledger.AccountChanged;
import dev.corebank.platform.id.UuidV7;
import dev.corebank.platform.outbox.Outbox;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
    /** Owners remembered (an account's owner never changes): about 100 bytes each. */
    private static final int OWNERS_CACHED = 100_000;

    private final Pool pool;
    private final AccountRepository accounts;
    private final AccountReadModel readModel;
    private final AccountEvents events;
    private final JournalRepository journal;
    private final Outbox outbox;
    private final Cache<UUID, String> owners = Caffeine.newBuilder().maximumSize(OWNERS_CACHED).build();
    private final Counter untrustedCopies;

    public AccountService(Pool pool, AccountRepository accounts, AccountReadModel readModel, AccountEvents events,
            JournalRepository journal, Outbox outbox, MeterRegistry registry) {
        this.pool = pool;
        this.accounts = accounts;
        this.readModel = readModel;
        this.events = events;
        this.journal = journal;
        this.outbox = outbox;
        this.untrustedCopies = Counter.builder("accounts.read_model.untrusted")
                .description("Read-model copies not served because they named another owner than PostgreSQL's")
                .register(registry);
    }

    /** Opens an account, and the bank's cash account of its currency if this is the currency's first. */
    public Uni<Account> open(String ownerId, String currency, long overdraftLimit) {
        Account account = new Account(UuidV7.next(), ownerId, currency, false, 0, 0, overdraftLimit, AccountStatus.OPEN, 0);
        return pool.withTransaction(tx -> accounts.ensureSystemAccount(tx, UuidV7.next(), currency)
                .chain(() -> accounts.insert(tx, account))
                .call(opened -> outbox.append(tx, events.changed(opened))));
    }

    /**
     * Who owns the account, as PostgreSQL says; {@link AccountNotFound} if there is no such account. Every
     * decision about who may read an account, here and in the services that ask account-service, rests on
     * this, never on the Redis read model: anyone who can write one Redis key could otherwise name himself
     * the owner. An account's owner never changes, so an answer is remembered.
     */
    public Uni<String> ownerOf(UUID id) {
        String known = owners.getIfPresent(id);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return accounts.ownerOf(pool, id)
                .map(found -> found.orElseThrow(() -> new AccountNotFound(id)))
                .invoke(owner -> owners.put(id, owner));
    }

    /**
     * The account of {@code owner} (as {@link #ownerOf} says) from the Redis read model when it holds at
     * least {@code minVersion}, else from PostgreSQL (which then refreshes the read model). Redis being down
     * only makes every read a PostgreSQL read. A copy naming another owner was not written by this service:
     * it is not served but deleted (a forged version could otherwise hold off every later write), and is logged
     * and counted ({@code accounts_read_model_untrusted_total}).
     */
    public Uni<Read> find(UUID id, String owner, OptionalLong minVersion) {
        return readModel.get(id)
                .onFailure().invoke(e -> LOG.debugf("read model unavailable (%s); reading PostgreSQL", e.getMessage()))
                .onFailure().recoverWithItem(Optional.empty())
                .chain(cached -> {
                    if (cached.isPresent() && !trusted(cached.get(), owner)) {
                        return discard(id).chain(() -> fromDatabase(id));
                    }
                    return cached
                            .filter(state -> minVersion.isEmpty() || state.version() >= minVersion.getAsLong())
                            .map(state -> Uni.createFrom().item(new Read(state, Read.Source.CACHE)))
                            .orElseGet(() -> fromDatabase(id));
                });
    }

    /** Deletes an untrusted copy, so PostgreSQL's state (and the projection's next ones) can replace it. */
    private Uni<Void> discard(UUID id) {
        return readModel.remove(id)
                .onFailure().invoke(e -> LOG.debugf("untrusted copy of %s not deleted: %s", id, e.getMessage()))
                .onFailure().recoverWithNull();
    }

    private boolean trusted(AccountChanged copy, String owner) {
        if (copy.ownerId().equals(owner)) {
            return true;
        }
        untrustedCopies.increment();
        LOG.warnf("the read model's copy of account %s names owner '%s', PostgreSQL '%s': deleted, read from PostgreSQL",
                copy.accountId(), copy.ownerId(), owner);
        return false;
    }

    private Uni<Read> fromDatabase(UUID id) {
        return accounts.find(pool, id)
                .map(found -> found.orElseThrow(() -> new AccountNotFound(id)).changed())
                .call(state -> readModel.put(state)
                        .onFailure().invoke(e -> LOG.debugf("read model not refreshed: %s", e.getMessage()))
                        .onFailure().recoverWithNull())
                .map(state -> new Read(state, Read.Source.DATABASE));
    }

    /**
     * Up to {@code limit} of the account's journal entries older than {@code before}, newest first;
     * {@link AccountNotFound} if there is no such account ({@link #ownerOf}, remembered, says whether there is).
     */
    public Uni<List<JournalEntry>> statement(UUID id, StatementCursor before, int limit) {
        return ownerOf(id).chain(known -> journal.statement(pool, id, before, limit));
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
