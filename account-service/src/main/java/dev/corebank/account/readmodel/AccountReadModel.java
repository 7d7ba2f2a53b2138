package dev.corebank.account.readmodel;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corebank.messages.ledger.AccountChanged;
import dev.corebank.platform.readmodel.ReadModelConfig;
import dev.corebank.platform.readmodel.VersionedHashes;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;

/**
 * Accounts in Redis, one hash per account ({@code version}, {@code state} as JSON). A write lands only if
 * it is newer than what is there, checked and written in one Lua script, so events arriving late, twice, or
 * racing a refresh from PostgreSQL can never put an older state back.
 */
@Singleton
public class AccountReadModel {

    private final VersionedHashes<AccountChanged> accounts;

    public AccountReadModel(ReactiveRedisDataSource redis, ObjectMapper json, ReadModelConfig config) {
        this.accounts = new VersionedHashes<>(redis, json, config, "corebank:account:", AccountChanged.class,
                AccountChanged::accountId, AccountChanged::version, account -> Duration.ZERO);
    }

    public Uni<Optional<AccountChanged>> get(UUID accountId) {
        return accounts.get(accountId);
    }

    /** Deletes Redis's copy of the account, whatever its version. */
    public Uni<Void> remove(UUID accountId) {
        return accounts.remove(accountId);
    }

    /** Stores {@code account} unless Redis already holds this version or a newer one; true if stored. */
    public Uni<Boolean> put(AccountChanged account) {
        return accounts.put(account);
    }

    /** Puts each state (if newer), a bounded number at a time; returns how many were newer and stored. */
    public Uni<Long> putAll(Collection<AccountChanged> states) {
        return accounts.putAll(states);
    }
}
