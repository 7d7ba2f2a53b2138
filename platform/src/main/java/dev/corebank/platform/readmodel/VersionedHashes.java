package dev.corebank.platform.readmodel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * A read model's documents in Redis, one hash per id under {@code keyPrefix} ({@code version}, {@code state} as
 * JSON). A write lands only if it is newer than what is there, checked and written in one Lua script, so writes
 * arriving late, twice, or racing a refresh from PostgreSQL can never put an older state back. A write may give
 * the hash a time to live (zero: none).
 *
 * @param <T> the document
 */
public final class VersionedHashes<T> {

    private static final String STATE = "state";
    private static final String PUT_IF_NEWER = """
            local current = redis.call('HGET', KEYS[1], 'version')
            if current and tonumber(current) >= tonumber(ARGV[1]) then
              return 0
            end
            redis.call('HSET', KEYS[1], 'version', ARGV[1], 'state', ARGV[2])
            if tonumber(ARGV[3]) > 0 then
              redis.call('PEXPIRE', KEYS[1], ARGV[3])
            end
            return 1""";
    // Below the Redis client's pool and wait queue, so a large batch never overflows them.
    private static final int CONCURRENT_WRITES = 8;

    private final ReactiveRedisDataSource redis;
    private final ReactiveHashCommands<String, String, String> hashes;
    private final ObjectMapper json;
    private final String keyPrefix;
    private final Class<T> type;
    private final Function<T, UUID> id;
    private final ToLongFunction<T> version;
    private final Function<T, Duration> ttl;
    private final Duration timeout;

    /**
     * Documents of {@code type} under {@code keyPrefix} (e.g. {@code corebank:order:}), each known by its
     * {@code id} and {@code version}, and kept for {@code ttl} after its last write (zero: for good). Every call
     * fails once Redis has not answered within {@code config}'s timeout.
     */
    public VersionedHashes(ReactiveRedisDataSource redis, ObjectMapper json, ReadModelConfig config, String keyPrefix,
            Class<T> type, Function<T, UUID> id, ToLongFunction<T> version, Function<T, Duration> ttl) {
        this.redis = redis;
        this.hashes = redis.hash(String.class, String.class, String.class);
        this.json = json;
        this.keyPrefix = keyPrefix;
        this.type = type;
        this.id = id;
        this.version = version;
        this.ttl = ttl;
        this.timeout = config.timeout();
    }

    /** The document as Redis has it, empty if it has none. */
    public Uni<Optional<T>> get(UUID documentId) {
        return hashes.hget(keyPrefix + documentId, STATE)
                .ifNoItem().after(timeout).failWith(this::noAnswer)
                .map(state -> Optional.ofNullable(state).map(this::parse));
    }

    /** Deletes Redis's copy of the document, whatever its version: one that must not stand (e.g. forged). */
    public Uni<Void> remove(UUID documentId) {
        return redis.key(String.class).del(keyPrefix + documentId)
                .ifNoItem().after(timeout).failWith(this::noAnswer)
                .replaceWithVoid();
    }

    /** Stores {@code document} unless Redis holds its version or a newer one; true if stored. */
    public Uni<Boolean> put(T document) {
        return redis.execute("EVAL", PUT_IF_NEWER, "1", keyPrefix + id.apply(document),
                        Long.toString(version.applyAsLong(document)), toJson(document),
                        Long.toString(ttl.apply(document).toMillis()))
                .ifNoItem().after(timeout).failWith(this::noAnswer)
                .map(reply -> reply.toLong() == 1L);
    }

    /**
     * Puts each document (if newer), a bounded number at a time; returns how many were newer and stored. Fails
     * with the first write that fails.
     */
    public Uni<Long> putAll(Collection<T> documents) {
        return write(documents, this::put);
    }

    /**
     * As {@link #putAll}, but each write stands alone: one that fails is handed to {@code onFailure}, counts as
     * not stored, and stops none of the others.
     */
    public Uni<Long> putEach(Collection<T> documents, BiConsumer<T, Throwable> onFailure) {
        return write(documents, document -> put(document)
                .onFailure().invoke(e -> onFailure.accept(document, e))
                .onFailure().recoverWithItem(false));
    }

    private Uni<Long> write(Collection<T> documents, Function<T, Uni<Boolean>> put) {
        return Multi.createFrom().iterable(documents)
                .onItem().transformToUni(put::apply).merge(CONCURRENT_WRITES)
                .filter(Boolean::booleanValue)
                .collect().with(Collectors.counting());
    }

    private RedisTimeout noAnswer() {
        return new RedisTimeout("Redis did not answer within " + timeout);
    }

    private String toJson(T document) {
        try {
            return json.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + document, e);
        }
    }

    private T parse(String state) {
        try {
            return json.readValue(state, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable " + type.getSimpleName() + " in Redis: " + state, e);
        }
    }
}
