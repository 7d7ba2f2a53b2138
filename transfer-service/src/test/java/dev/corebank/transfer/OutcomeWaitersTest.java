package dev.corebank.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corebank.transfer.transfers.OutcomeWaiters;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Waiting requests learn their transfer's outcome from a real NOTIFY on the service's database: the
 * waiter gets the rendered transfer from the payload, other ids and malformed payloads wake nobody. A
 * waiter that gets nothing ends with empty when its wait is over (and then re-reads the row), so an empty
 * answer here means the notification did not reach it.
 */
@QuarkusTest
class OutcomeWaitersTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    OutcomeWaiters waiters;

    @Inject
    Pool pool;

    @Test
    void a_waiter_gets_the_notified_transfer_and_nobody_else_is_woken() throws Exception {
        UUID first = UUID.randomUUID();
        String firstRendered = rendered(first);
        waiters.expect(first);
        CompletableFuture<Optional<String>> firstOutcome = waiters.await(first, WAIT).subscribeAsCompletionStage();
        // The service LISTENs from start-up on a connection of its own, which may not be up yet in the first
        // test to run: the notification is repeated until the waiter has an answer or its wait is over.
        while (!firstOutcome.isDone()) {
            notify(OutcomeWaiters.payload(first, firstRendered));
            Thread.sleep(200);
        }
        assertEquals(Optional.of(firstRendered), firstOutcome.get(),
                "the waiter got nothing from the notifications and ran out its wait");

        // Now that notifications are known to arrive: malformed ones and another transfer's wake nobody, and
        // the listener still serves the next one.
        UUID second = UUID.randomUUID();
        UUID bystander = UUID.randomUUID();
        waiters.expect(second);
        waiters.expect(bystander);
        CompletableFuture<Optional<String>> secondOutcome = waiters.await(second, WAIT).subscribeAsCompletionStage();
        CompletableFuture<Optional<String>> bystanderOutcome = waiters.await(bystander, Duration.ofSeconds(2))
                .subscribeAsCompletionStage();
        notify("not a transfer");
        notify(second + rendered(second));
        notify(OutcomeWaiters.payload(second, rendered(second)));

        assertEquals(Optional.of(rendered(second)), secondOutcome.get(WAIT.toSeconds() + 5, TimeUnit.SECONDS));
        assertEquals(Optional.empty(), bystanderOutcome.get(10, TimeUnit.SECONDS), "another transfer's waiter was woken");
    }

    @Test
    void a_waiter_whose_transfer_is_never_notified_ends_empty() throws Exception {
        UUID id = UUID.randomUUID();
        waiters.expect(id);

        Optional<String> outcome = waiters.await(id, Duration.ofMillis(200)).await().atMost(Duration.ofSeconds(10));

        assertTrue(outcome.isEmpty(), outcome.toString());
    }

    private static String rendered(UUID id) {
        return "{\"id\":\"" + id + "\",\"status\":\"COMPLETED\"}";
    }

    private void notify(String payload) {
        pool.preparedQuery("SELECT pg_notify($1, $2)")
                .execute(Tuple.of(OutcomeWaiters.CHANNEL, payload))
                .replaceWithVoid()
                .await().atMost(Duration.ofSeconds(10));
    }
}
