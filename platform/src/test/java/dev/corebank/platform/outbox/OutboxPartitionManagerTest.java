package dev.corebank.platform.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corebank.outbox.OutboxLanes;
import dev.corebank.platform.id.UuidV7;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OutboxPartitionManagerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    Pool pool;

    @Inject
    OutboxPartitionManager partitions;

    @Inject
    OutboxConfig config;

    @Test
    void partitions_exist_from_yesterday_to_the_configured_days_ahead() {
        partitions.maintain().await().atMost(WAIT);

        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        for (int day = -1; day <= config.partitionsAhead(); day++) {
            assertTrue(exists(partitionOf(today.plusDays(day))), "partition for " + today.plusDays(day));
        }
    }

    @Test
    void an_expired_partition_is_dropped_only_once_the_relay_published_all_of_it() {
        LocalDate longAgo = LocalDate.of(2001, 1, 1).plusDays((int) (Math.random() * 3000));
        String partition = createPartition(longAgo);
        String aggregate = "old-" + UuidV7.next();
        long seq = pool.preparedQuery("""
                        INSERT INTO outbox (id, lane, topic, aggregate_type, aggregate_id, event_type, payload, created_at)
                        VALUES ($1, $2, 't.old', 'Old', $3, 'Aged', '{}', $4::date + time '12:00')
                        RETURNING seq""")
                .execute(Tuple.of(UuidV7.next(), (short) OutboxLanes.laneOf(aggregate), aggregate, longAgo))
                .await().atMost(WAIT)
                .iterator().next().getLong("seq");

        partitions.maintain().await().atMost(WAIT);
        assertTrue(exists(partition), "unpublished rows keep their partition");

        pool.preparedQuery("UPDATE outbox_lane_cursor SET last_seq = greatest(last_seq, $2) WHERE lane = $1")
                .execute(Tuple.of((short) OutboxLanes.laneOf(aggregate), seq))
                .await().atMost(WAIT);
        partitions.maintain().await().atMost(WAIT);

        assertFalse(exists(partition), "a fully published, expired partition is dropped");
        assertEquals(0L, pool.preparedQuery("SELECT count(*) FROM outbox WHERE aggregate_id = $1")
                .execute(Tuple.of(aggregate)).await().atMost(WAIT).iterator().next().getLong(0));
    }

    @Test
    void a_partition_left_detached_by_an_interrupted_drop_is_dropped_later() {
        LocalDate longAgo = LocalDate.of(1990, 1, 1).plusDays((int) (Math.random() * 3000));
        String partition = createPartition(longAgo);
        pool.query("ALTER TABLE outbox DETACH PARTITION " + partition).execute().await().atMost(WAIT);

        partitions.maintain().await().atMost(WAIT);

        assertFalse(exists(partition), "the detached leftover is dropped");
    }

    /** A day partition as the upkeep would make it, for a day long past. */
    private String createPartition(LocalDate day) {
        String partition = partitionOf(day);
        pool.query("CREATE TABLE " + partition + " PARTITION OF outbox FOR VALUES FROM ('" + day
                        + " 00:00+00') TO ('" + day.plusDays(1) + " 00:00+00')")
                .execute().await().atMost(WAIT);
        return partition;
    }

    private boolean exists(String table) {
        return pool.preparedQuery("SELECT to_regclass($1) IS NOT NULL")
                .execute(Tuple.of(table))
                .await().atMost(WAIT)
                .iterator().next().getBoolean(0);
    }

    private static String partitionOf(LocalDate day) {
        return "outbox_p" + day.format(DateTimeFormatter.BASIC_ISO_DATE);
    }
}
