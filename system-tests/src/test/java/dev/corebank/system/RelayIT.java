package dev.corebank.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corebank.platform.id.UuidV7;
import dev.corebank.platform.inbox.Inbox;
import dev.corebank.platform.inbox.InboxConfig;
import dev.corebank.platform.outbox.Outbox;
import dev.corebank.platform.outbox.OutboxEvent;
import dev.corebank.testing.FreshDatabases;
import dev.corebank.testing.LocalStack;
import dev.corebank.testing.OutboxDatabases;
import dev.corebank.testing.RelayProcess;
import dev.corebank.testing.RunId;
import dev.corebank.testing.ThreadDump;
import dev.corebank.testing.TopicReader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The backbone end to end, with the relay as real processes: concurrent writers append 10,000 events over
 * 200 aggregates while two relay instances run; one is killed with SIGKILL mid-stream and restarted. A
 * consumer behind the platform's inbox must apply every event exactly once, per aggregate in commit order.
 */
class RelayIT {

    private static final int EVENTS = 10_000;
    private static final int AGGREGATES = 200;
    private static final int WRITERS = 8;
    private static final String SOURCE = "accounts";
    private static final String OWNER = "account_svc";
    private static final Duration WAIT = Duration.ofSeconds(30);

    record VersionBumped(String aggregateId, long version) {
    }

    private final LocalStack stack = LocalStack.fromEnvironment()
            .orElseThrow(() -> new IllegalStateException("RelayIT runs against the local stack: use bin/stack test"));
    private final Vertx vertx = Vertx.vertx();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Outbox outbox = new Outbox(new ObjectMapper(), registry);
    private final String topic = "relay-it-" + RunId.VALUE;

    private FreshDatabases databases;
    private String sourceDb;
    private Pool source;
    private Pool consumerDb;

    @BeforeEach
    void freshDatabases() {
        databases = new FreshDatabases(stack);
        sourceDb = OutboxDatabases.create(stack, databases, SOURCE, OWNER);
        String consumer = OutboxDatabases.create(stack, databases, "consumer", "order_svc");
        source = pool(sourceDb, OWNER, WRITERS);
        consumerDb = pool(consumer, "order_svc", 2);
        source.query("CREATE TABLE aggregate_versions (id text PRIMARY KEY, version bigint NOT NULL DEFAULT 0)")
                .execute()
                .chain(() -> source.query("INSERT INTO aggregate_versions (id) SELECT 'agg-' || g FROM generate_series(1, "
                        + AGGREGATES + ") g").execute())
                .chain(() -> consumerDb.query("""
                        CREATE TABLE received (seq bigint GENERATED ALWAYS AS IDENTITY, aggregate_id text NOT NULL,
                                               version bigint NOT NULL, message_id uuid NOT NULL)""").execute())
                .await().atMost(WAIT);
    }

    @AfterEach
    void cleanUp() {
        source.close().await().atMost(WAIT);
        consumerDb.close().await().atMost(WAIT);
        vertx.closeAndAwait();
        databases.close();
    }

    @Test
    void two_relays_and_a_kill_9_mid_stream_lose_nothing_and_keep_each_aggregate_in_commit_order() throws Exception {
        RelayProcess a = RelayProcess.start("a", stack, SOURCE, sourceDb, log("a"));
        RelayProcess b = RelayProcess.start("b", stack, SOURCE, sourceDb, log("b"));
        RelayProcess restarted = null;
        try {
            await().alias("relays a and b split the 32 lanes").atMost(WAIT)
                    .untilAsserted(() -> assertSplit(a.lanesOwned(SOURCE), b.lanesOwned(SOURCE)));

            AtomicInteger committed = new AtomicInteger();
            CompletableFuture<Void> writers = Multi.createFrom().range(0, EVENTS)
                    .onItem().transformToUni(i -> bumpAndAppend())
                    .merge(WRITERS)
                    .invoke(committed::incrementAndGet)
                    .collect().last()
                    .replaceWithVoid()
                    .subscribeAsCompletionStage();

            awaitCommitted(committed, EVENTS * 3 / 10, writers);
            a.kill9();
            assertTrue(committed.get() < EVENTS, "relay a killed mid-stream, not after the last write");
            awaitCommitted(committed, EVENTS * 6 / 10, writers);
            restarted = RelayProcess.start("a-restarted", stack, SOURCE, sourceDb, log("a-restarted"));
            writers.get(5, TimeUnit.MINUTES);

            Consumed consumed = consumeThroughInbox();

            assertEquals(EVENTS, consumed.recordsSeen() - consumed.duplicatesSkipped(), "every event applied once");
            assertEquals(EVENTS, countReceived(), "one row per event after inbox dedup");
            assertEachAggregateInCommitOrder();
            System.out.printf("RelayIT: %d records seen for %d events (%d duplicates skipped by the inbox)%n",
                    consumed.recordsSeen(), EVENTS, consumed.duplicatesSkipped());
        } finally {
            b.close();
            a.close();
            if (restarted != null) {
                restarted.close();
            }
        }
        // b was stopped, not killed: it gave its lanes back on purpose, which is nothing to warn an operator of.
        assertFalse(Files.readString(log("b")).contains("lost the lane-owner connection"),
                "a clean stop logs no lost lanes");
    }

    @Test
    void a_source_connection_that_stops_answering_does_not_hold_the_lanes_for_ever() throws Exception {
        try (FreezingProxy proxy = new FreezingProxy(stack.dbHost(), stack.dbPort());
                RelayProcess relay = RelayProcess.start("frozen", stack,
                        Map.of(SOURCE, "postgresql://127.0.0.1:" + proxy.port() + "/" + sourceDb),
                        List.of("-Dcorebank.relay.round-timeout=2s"), log("frozen"))) {
            // A topic of its own: the other test reads all of its topic.
            String frozenTopic = topic + "-frozen";
            appendOne(frozenTopic, "before");
            TopicReader.readKey(stack.kafkaBootstrap(), frozenTopic, "before", WAIT);

            // Every connection the relay has to its source stops answering, without closing; new ones work.
            proxy.freeze();
            // The event comes only once the relay has given up the frozen lane-owner connection, and with it every
            // lane: it must then be published on lanes taken again over a new connection. (Appended at once, it
            // raced the give-up: a round on a fresh pooled connection could publish it in the seconds before.)
            await().alias("relay frozen gives up its lane-owner connection (log " + log("frozen") + ")")
                    .atMost(WAIT)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> Files.readString(log("frozen")).contains("lost the lane-owner connection"));
            appendOne(frozenTopic, "after");

            TopicReader.readKey(stack.kafkaBootstrap(), frozenTopic, "after", Duration.ofSeconds(60));
            await().alias("relay frozen owns all 32 lanes again")
                    .atMost(WAIT)
                    .untilAsserted(() -> assertEquals(32, relay.lanesOwned(SOURCE).size(), "lanes owned"));
        }
    }

    private void appendOne(String toTopic, String aggregate) {
        source.withTransaction(tx -> outbox.append(tx, OutboxEvent.of(UuidV7.next(), toTopic, "Aggregate", aggregate,
                new VersionBumped(aggregate, 1)))).await().atMost(WAIT);
    }

    /**
     * Waits until the writers committed {@code count} events, for as long as they make progress: a slow
     * machine only takes longer, a stall fails with what the source database's sessions were waiting on.
     * Surfaces the writers' failure if they stopped.
     */
    private void awaitCommitted(AtomicInteger committed, int count, CompletableFuture<Void> writers) throws Exception {
        int last = committed.get();
        long lastProgress = System.nanoTime();
        while (!writers.isDone() && committed.get() < count) {
            Thread.sleep(100);
            int now = committed.get();
            if (now != last) {
                last = now;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > WAIT.toNanos()) {
                List<String> firstLook = sourceSessions();
                System.out.println(ThreadDump.sampled(3, 1_000, "vert.x-", "main"));
                throw new AssertionError("writers stalled at " + now + " of " + count + " events for " + WAIT
                        + "; source sessions: " + firstLook + "; 3 s later: " + sourceSessions()
                        + "; the test JVM's threads (3 samples) are in its output");
            }
        }
        if (writers.isCompletedExceptionally()) {
            writers.get();
        }
    }

    /** What every session on the source database is doing, seen as the admin (roles see only their own). */
    private List<String> sourceSessions() {
        Pool admin = PgBuilder.pool()
                .connectingTo(PgConnectOptions.fromUri(stack.reactiveUrl(sourceDb)).setUser(stack.dbAdminUser()))
                .using(vertx)
                .build();
        try {
            List<String> sessions = new ArrayList<>();
            for (Row row : admin.query("""
                            SELECT pid, usename, application_name, state, wait_event_type, wait_event,
                                   backend_xid::text AS xid, round(extract(epoch FROM now() - state_change)::numeric, 1)::text AS in_state_s,
                                   array_to_string(pg_blocking_pids(pid), ',') AS blocked_by, left(query, 80) AS query
                            FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()""")
                    .execute().await().atMost(WAIT)) {
                sessions.add(row.toJson().encode());
            }
            return sessions;
        } finally {
            admin.close().await().atMost(WAIT);
        }
    }

    /**
     * One business transaction: bump the aggregate's version (row lock) and append the event saying so. Emits the
     * version, not nothing: a Multi passes over the null item of a {@code Uni<Void>}, so the writers' count would
     * never move (and the relay would be killed only after the last write, not mid-stream).
     */
    private Uni<Long> bumpAndAppend() {
        String aggregate = "agg-" + (1 + ThreadLocalRandom.current().nextInt(AGGREGATES));
        return source.withTransaction(tx -> tx
                .preparedQuery("UPDATE aggregate_versions SET version = version + 1 WHERE id = $1 RETURNING version")
                .execute(Tuple.of(aggregate))
                .map(rows -> rows.iterator().next().getLong("version"))
                .chain(version -> outbox.append(tx, OutboxEvent.of(UuidV7.next(), topic, "Aggregate", aggregate,
                        new VersionBumped(aggregate, version))).replaceWith(version)));
    }

    private record Consumed(int recordsSeen, int duplicatesSkipped) {
    }

    private Consumed consumeThroughInbox() throws Exception {
        Inbox inbox = new Inbox(consumerDb, inboxConfig(), registry);
        ObjectMapper json = new ObjectMapper();
        Properties props = TopicReader.config(stack.kafkaBootstrap(), topic + "-consumer", Map.of(
                "enable.auto.commit", "false",
                "max.poll.records", "1000"));
        int seen = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            while (countReceived() < EVENTS && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    seen++;
                    var event = json.readTree(record.value());
                    inbox.process("relay-it", record, tx -> tx
                                    .preparedQuery("INSERT INTO received (aggregate_id, version, message_id) VALUES ($1, $2, $3)")
                                    .execute(Tuple.of(event.get("aggregateId").asText(), event.get("version").asLong(),
                                            Inbox.messageId(record)))
                                    .replaceWithVoid())
                            .await().atMost(WAIT);
                }
                consumer.commitSync();
            }
        }
        long received = countReceived();
        if (received < EVENTS) {
            throw new AssertionError("the consumer applied " + received + " of " + EVENTS + " events within 3 minutes ("
                    + seen + " records seen on " + topic + "); relay logs in " + log("a").getParent());
        }
        int duplicates = (int) registry.counter("inbox.messages", "consumer", "relay-it", "outcome", "duplicate").count();
        return new Consumed(seen, duplicates);
    }

    private void assertEachAggregateInCommitOrder() {
        Map<String, List<Long>> versions = new HashMap<>();
        for (Row row : consumerDb.query("SELECT aggregate_id, version FROM received ORDER BY seq")
                .execute().await().atMost(WAIT)) {
            versions.computeIfAbsent(row.getString("aggregate_id"), id -> new ArrayList<>()).add(row.getLong("version"));
        }
        Map<String, Long> finalVersions = new HashMap<>();
        for (Row row : source.query("SELECT id, version FROM aggregate_versions").execute().await().atMost(WAIT)) {
            finalVersions.put(row.getString("id"), row.getLong("version"));
        }
        for (Map.Entry<String, Long> aggregate : finalVersions.entrySet()) {
            List<Long> got = versions.getOrDefault(aggregate.getKey(), List.of());
            for (int i = 0; i < got.size(); i++) {
                assertEquals(i + 1L, got.get(i), aggregate.getKey() + " received out of commit order: " + got);
            }
            assertEquals(aggregate.getValue().longValue(), got.size(), aggregate.getKey() + " lost events");
        }
    }

    private static void assertSplit(List<Integer> a, List<Integer> b) {
        Set<Integer> all = new HashSet<>(a);
        all.addAll(b);
        assertEquals(32, all.size(), "every lane owned: a=" + a + " b=" + b);
        assertEquals(32, a.size() + b.size(), "no lane owned twice: a=" + a + " b=" + b);
        assertTrue(!a.isEmpty() && !b.isEmpty(), "both instances publish: a=" + a + " b=" + b);
    }

    private long countReceived() {
        return consumerDb.query("SELECT count(*) FROM received").execute().await().atMost(WAIT).iterator().next().getLong(0);
    }

    private static Path log(String relay) {
        return Path.of("target", "relay-it-" + relay + ".log");
    }

    private Pool pool(String database, String user, int size) {
        return PgBuilder.pool()
                .connectingTo(PgConnectOptions.fromUri(stack.reactiveUrl(database)).setUser(user))
                .with(new PoolOptions().setMaxSize(size))
                .using(vertx)
                .build();
    }

    private static InboxConfig inboxConfig() {
        return new InboxConfig() {
            @Override
            public int maxRetries() {
                return 3;
            }

            @Override
            public Duration initialBackoff() {
                return Duration.ofMillis(100);
            }

            @Override
            public Duration maxBackoff() {
                return Duration.ofSeconds(1);
            }

            @Override
            public Duration retention() {
                return Duration.ofDays(7);
            }
        };
    }
}
