package dev.corebank.platform.outbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corebank.outbox.OutboxLanes;
import dev.corebank.platform.id.UuidV7;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OutboxTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    record ThingHappened(String what, long n) {
    }

    @Inject
    Pool pool;

    @Inject
    Outbox outbox;

    @Test
    void events_are_stored_in_append_order_with_their_lane_type_and_json_payload() {
        String aggregate = "thing-" + UUID.randomUUID();
        OutboxEvent first = event(aggregate, new ThingHappened("a", 1)).withHeader("traceparent", "00-abc-def-01");
        OutboxEvent second = event(aggregate, new ThingHappened("b", 2));

        pool.withTransaction(tx -> outbox.append(tx, first, second)).await().atMost(WAIT);

        List<Row> rows = rowsOf(aggregate);
        assertEquals(List.of(first.id(), second.id()), rows.stream().map(r -> r.getUUID("id")).toList());
        for (Row row : rows) {
            assertEquals(OutboxLanes.laneOf(aggregate), row.getInteger("lane"));
            assertEquals("ThingHappened", row.getString("event_type"));
            assertEquals("t.things", row.getString("topic"));
        }
        assertEquals("a", rows.get(0).getJsonObject("payload").getString("what"));
        assertEquals("00-abc-def-01", rows.get(0).getJsonObject("headers").getString("traceparent"));
        assertTrue(rows.get(0).getLong("seq") < rows.get(1).getLong("seq"));
    }

    @Test
    void a_rolled_back_business_change_leaves_no_event() {
        String aggregate = "thing-" + UUID.randomUUID();

        assertThrows(IllegalStateException.class, () -> pool.withTransaction(tx -> outbox
                        .append(tx, event(aggregate, new ThingHappened("never", 0)))
                        .chain(() -> Uni.createFrom().failure(new IllegalStateException("business rule broken"))))
                .await().atMost(WAIT));

        assertTrue(rowsOf(aggregate).isEmpty());
    }

    @Test
    void an_appender_waits_for_the_open_transaction_on_its_lane_so_sequence_order_is_commit_order() {
        String aggregate = "thing-" + UUID.randomUUID();
        String otherLane = aggregateInAnotherLaneThan(aggregate);
        SqlConnection firstConnection = pool.getConnection().await().atMost(WAIT);
        SqlConnection secondConnection = pool.getConnection().await().atMost(WAIT);
        try {
            Transaction first = firstConnection.begin().await().atMost(WAIT);
            OutboxEvent earlier = event(aggregate, new ThingHappened("first", 1));
            outbox.append(firstConnection, earlier).await().atMost(WAIT);

            // Another lane is not held up by the open transaction.
            pool.withTransaction(tx -> outbox.append(tx, event(otherLane, new ThingHappened("elsewhere", 0))))
                    .await().atMost(WAIT);

            OutboxEvent later = event(aggregate, new ThingHappened("second", 2));
            CompletableFuture<Void> second = secondConnection.begin()
                    .chain(tx -> outbox.append(secondConnection, later).chain(tx::commit))
                    .subscribeAsCompletionStage();

            await().alias("the second appender waits on its lane's advisory lock").atMost(WAIT)
                    .until(() -> waitsOnAdvisoryLock(secondConnection));
            assertFalse(second.isDone(), "the second appender must wait while the first is open");

            first.commit().await().atMost(WAIT);
            second.join();

            List<Row> rows = rowsOf(aggregate);
            assertEquals(List.of(earlier.id(), later.id()), rows.stream().map(r -> r.getUUID("id")).toList());
        } finally {
            firstConnection.close().await().atMost(WAIT);
            secondConnection.close().await().atMost(WAIT);
        }
    }

    private boolean waitsOnAdvisoryLock(SqlConnection connection) {
        int pid = connection.getDelegate() instanceof io.vertx.pgclient.PgConnection pg ? pg.processId() : -1;
        Row row = pool.preparedQuery("SELECT wait_event_type, wait_event FROM pg_stat_activity WHERE pid = $1")
                .execute(Tuple.of(pid))
                .await().atMost(WAIT)
                .iterator().next();
        return "Lock".equals(row.getString("wait_event_type")) && "advisory".equals(row.getString("wait_event"));
    }

    private static String aggregateInAnotherLaneThan(String aggregate) {
        String other;
        do {
            other = "thing-" + UUID.randomUUID();
        } while (OutboxLanes.laneOf(other) == OutboxLanes.laneOf(aggregate));
        return other;
    }

    private List<Row> rowsOf(String aggregate) {
        List<Row> rows = new ArrayList<>();
        pool.preparedQuery("SELECT * FROM outbox WHERE aggregate_id = $1 ORDER BY seq")
                .execute(Tuple.of(aggregate))
                .await().atMost(WAIT)
                .forEach(rows::add);
        return rows;
    }

    private static OutboxEvent event(String aggregate, ThingHappened happened) {
        return OutboxEvent.of(UuidV7.next(), "t.things", "Thing", aggregate, happened);
    }
}
