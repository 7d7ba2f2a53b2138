package dev.corebank.platform.inbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.corebank.platform.id.UuidV7;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

@QuarkusTest
class InboxTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String CONSUMER = "inbox-unit";

    @Inject
    Inbox inbox;

    @Inject
    Pool pool;

    @Inject
    InboxConfig config;

    @Test
    void a_redelivered_message_has_its_effect_once() {
        UUID id = UuidV7.next();

        inbox.process(CONSUMER, id, effect(id)).await().atMost(WAIT);
        inbox.process(CONSUMER, id, effect(id)).await().atMost(WAIT);

        assertEquals(1, effects(id));
    }

    @Test
    void a_transient_failure_is_retried_and_then_applied_once() {
        UUID id = UuidV7.next();
        AtomicInteger attempts = new AtomicInteger();

        inbox.process(CONSUMER, id, tx -> attempts.incrementAndGet() == 1
                ? Uni.createFrom().failure(new IllegalStateException("database hiccup"))
                : effect(id).apply(tx)).await().atMost(WAIT);

        assertEquals(2, attempts.get());
        assertEquals(1, effects(id));
    }

    @Test
    void a_message_that_keeps_failing_gives_up_after_the_bounded_retries_and_records_nothing() {
        UUID id = UuidV7.next();
        AtomicInteger attempts = new AtomicInteger();

        assertThrows(IllegalStateException.class, () -> inbox.process(CONSUMER, id, tx -> effect(id).apply(tx)
                        .invoke(attempts::incrementAndGet)
                        .chain(() -> Uni.createFrom().failure(new IllegalStateException("always broken"))))
                .await().atMost(WAIT));

        assertEquals(1 + config.maxRetries(), attempts.get());
        assertEquals(0, effects(id), "each failed attempt rolled back its effect");
        assertEquals(0, seen(id), "the id is not recorded, so a later redelivery is processed");
    }

    @Test
    void a_malformed_message_is_not_retried() {
        UUID id = UuidV7.next();
        AtomicInteger attempts = new AtomicInteger();

        assertThrows(MalformedMessage.class, () -> inbox.process(CONSUMER, id, tx -> {
            attempts.incrementAndGet();
            return Uni.createFrom().failure(new MalformedMessage("payload is not JSON"));
        }).await().atMost(WAIT));

        assertEquals(1, attempts.get());
    }

    private static Function<SqlConnection, Uni<Void>> effect(UUID id) {
        return tx -> tx.preparedQuery("INSERT INTO inbox_effects (consumer, message_id) VALUES ($1, $2)")
                .execute(Tuple.of(CONSUMER, id))
                .replaceWithVoid();
    }

    private long effects(UUID id) {
        return count("SELECT count(*) FROM inbox_effects WHERE message_id = $1", id);
    }

    private long seen(UUID id) {
        return count("SELECT count(*) FROM inbox WHERE message_id = $1", id);
    }

    private long count(String sql, UUID id) {
        return pool.preparedQuery(sql).execute(Tuple.of(id)).await().atMost(WAIT).iterator().next().getLong(0);
    }
}
