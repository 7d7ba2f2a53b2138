package dev.corebank.account.readmodel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corebank.messages.ledger.AccountChanged;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Accounts in Redis, one hash per account ({@code version}, {@code state} as JSON). A write lands only if
 * it is newer than what is there, checked and written in one Lua script, so events arriving late, twice, or
 * racing a refresh from PostgreSQL can never put an older state back.
 */
@Singleton
public class AccountReadModel {

    private static final String KEY_PREFIX = "corebank:account:";
    private static final String STATE = "state";
    private static final String PUT_IF_NEWER = """
            local current = redis.call('HGET', KEYS[1], 'version')
            if current and tonumber(current) >= tonumber(ARGV[1]) then
              return 0
            end
            redis.call('HSET', KEYS[1], 'version', ARGV[1], 'state', ARGV[2])
            return 1""";
    // Below the Redis client's pool and wait queue, so a large page or poll never overflows them.
    private static final int CONCURRENT_WRITES = 8;

    private final ReactiveRedisDataSource redis;
    private final ReactiveHashCommands<String, String, String> hashes;
    private final ObjectMapper json;

    public AccountReadModel(ReactiveRedisDataSource redis, ObjectMapper json) {
        this.redis = redis;
        this.hashes = redis.hash(String.class, String.class, String.class);
        this.json = json;
    }

    public Uni<Optional<AccountChanged>> get(UUID accountId) {
        return hashes.hget(key(accountId), STATE)
                .map(state -> Optional.ofNullable(state).map(this::parse));
    }

    /** Stores {@code account} unless Redis already holds this version or a newer one; true if stored. */
    public Uni<Boolean> put(AccountChanged account) {
        return redis.execute("EVAL", PUT_IF_NEWER, "1", key(account.accountId()),
                        Long.toString(account.version()), toJson(account))
                .map(reply -> reply.toLong() == 1L);
    }

    /** Puts each state (if newer), a bounded number at a time; returns how many were newer and stored. */
    public Uni<Long> putAll(Collection<AccountChanged> states) {
        return Multi.createFrom().iterable(states)
                .onItem().transformToUni(this::put).merge(CONCURRENT_WRITES)
                .filter(Boolean::booleanValue)
                .collect().with(Collectors.counting());
    }

    private static String key(UUID accountId) {
        return KEY_PREFIX + accountId;
    }

    private String toJson(AccountChanged account) {
        try {
            return json.writeValueAsString(account);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + account, e);
        }
    }

    private AccountChanged parse(String state) {
        try {
            return json.readValue(state, AccountChanged.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable account state in Redis: " + state, e);
        }
    }
}
