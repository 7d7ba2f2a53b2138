package dev.corebank.relay;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corebank.outbox.CloudEvents;
import dev.corebank.outbox.OutboxLanes;
import dev.corebank.relay.source.RelayConfig;
import dev.corebank.relay.source.SourcePools;
import dev.corebank.testing.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One relay in this JVM, one source, the real broker: what a consumer receives, and what operators see. */
@QuarkusTest
class RelayTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /**
     * An outbox row as the owning service writes it, by the table's definition in outbox-contract: the relay
     * reads the table, not the writer's classes (platform's Outbox and the relay meet in system-tests' RelayIT).
     */
    private static final String APPEND = """
            INSERT INTO outbox (id, lane, topic, aggregate_type, aggregate_id, event_type, payload, headers)
            VALUES ($1, $2, $3, 'Account', $4, $5, $6, $7)""";

    record AccountOpened(String accountId, long n) {
    }

    record Blob(String data) {
    }

    /** One event to append; its type is the payload's record name, as the services name theirs. */
    record Event(UUID id, String topic, String aggregateId, Record payload, Map<String, String> headers) {

        Event(String topic, String aggregateId, Record payload) {
            this(UUID.randomUUID(), topic, aggregateId, payload, Map.of());
        }

        Event withTraceparent(String traceparent) {
            return new Event(id, topic, aggregateId, payload, Map.of("traceparent", traceparent));
        }

        Tuple row() {
            return Tuple.tuple(List.of(id, (short) OutboxLanes.laneOf(aggregateId), topic, aggregateId,
                    payload.getClass().getSimpleName(), JsonObject.mapFrom(payload), new JsonObject(Map.copyOf(headers))));
        }
    }

    @Inject
    Vertx vertx;

    @Inject
    RelayConfig config;

    @Inject
    SourcePools pools;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "corebank.test.run-id")
    String runId;

    private Pool accounts;

    @BeforeEach
    void connectAsTheOwningService() {
        accounts = PgBuilder.pool()
                .connectingTo(PgConnectOptions.fromUri(config.sources().get("accounts").url())
                        .setUser(RelaySourcesResource.OWNERS.get("accounts")))
                .using(vertx)
                .build();
    }

    @AfterEach
    void close() {
        accounts.close().await().atMost(WAIT);
    }

    @Test
    void committed_events_reach_kafka_in_order_as_cloudevents_keyed_by_aggregate() throws Exception {
        String topic = "relay-test-" + runId + "-" + UUID.randomUUID();
        String aggregate = "acc-" + UUID.randomUUID();
        List<Event> events = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            events.add(new Event(topic, aggregate, new AccountOpened(aggregate, n))
                    .withTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
        }
        append(events.subList(0, 2));
        append(events.subList(2, 3));

        List<ConsumerRecord<String, String>> received = consume(topic, 3);

        assertEquals(events.stream().map(e -> e.id().toString()).toList(),
                received.stream().map(r -> header(r, CloudEvents.ID)).toList(), "commit order");
        for (ConsumerRecord<String, String> record : received) {
            assertEquals(aggregate, record.key());
            assertEquals("1.0", header(record, CloudEvents.SPEC_VERSION));
            assertEquals("AccountOpened", header(record, CloudEvents.TYPE));
            assertEquals("/corebank/accounts", header(record, CloudEvents.SOURCE));
            assertEquals("application/json", header(record, CloudEvents.CONTENT_TYPE));
            assertEquals("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", header(record, "traceparent"));
            OffsetDateTime.parse(header(record, CloudEvents.TIME));
        }
        assertEquals(1, new ObjectMapper().readTree(received.get(0).value()).get("n").asLong());
    }

    @Test
    void a_row_the_broker_will_never_take_is_dead_lettered_and_the_rows_after_it_flow_on() throws Exception {
        String topic = "relay-test-" + runId + "-" + UUID.randomUUID();
        String aggregate = "acc-" + UUID.randomUUID();
        Event before = new Event(topic, aggregate, new AccountOpened(aggregate, 1));
        // Over the producer's 1 MiB max.request.size: no retry will ever get it onto the topic.
        Event tooLarge = new Event(topic, aggregate, new Blob("x".repeat(1_200_000)));
        Event after = new Event(topic, aggregate, new AccountOpened(aggregate, 3));
        append(List.of(before, tooLarge, after));

        List<ConsumerRecord<String, String>> received = consume(topic, 2);
        List<ConsumerRecord<String, String>> deadLetters = TopicReader.read(bootstrap, config.deadLetterTopic(),
                config.deadLetterTopic() + "-" + UUID.randomUUID(), 1, WAIT).stream()
                .filter(record -> tooLarge.id().toString().equals(header(record, CloudEvents.ID)))
                .toList();

        assertEquals(List.of(before.id().toString(), after.id().toString()),
                received.stream().map(r -> header(r, CloudEvents.ID)).toList(), "the rows around it, in order");
        assertEquals(1, deadLetters.size(), "the row is described on the dead-letter topic");
        var described = new ObjectMapper().readTree(deadLetters.get(0).value());
        assertEquals(topic, described.get("topic").asText());
        assertEquals("Blob", described.get("eventType").asText());
        assertTrue(described.get("error").asText().contains("RecordTooLargeException"), described.toString());
        assertTrue(described.get("payloadBytes").asLong() > 1_200_000);
    }

    @Test
    void a_row_for_a_topic_its_source_may_not_write_is_dead_lettered_never_published_and_the_rows_after_it_flow_on()
            throws Exception {
        String topic = "relay-test-" + runId + "-" + UUID.randomUUID();
        // transfer-service's topic: the accounts outbox has no business writing to it.
        String forbidden = "transfer.events." + runId + "-" + UUID.randomUUID();
        String aggregate = "acc-" + UUID.randomUUID();
        Event before = new Event(topic, aggregate, new AccountOpened(aggregate, 1));
        Event outside = new Event(forbidden, aggregate, new AccountOpened(aggregate, 2));
        Event after = new Event(topic, aggregate, new AccountOpened(aggregate, 3));
        append(List.of(before, outside, after));

        List<ConsumerRecord<String, String>> received = consume(topic, 2);
        List<ConsumerRecord<String, String>> deadLetters = TopicReader.read(bootstrap, config.deadLetterTopic(),
                config.deadLetterTopic() + "-" + UUID.randomUUID(), 1, WAIT).stream()
                .filter(record -> outside.id().toString().equals(header(record, CloudEvents.ID)))
                .toList();

        assertEquals(List.of(before.id().toString(), after.id().toString()),
                received.stream().map(r -> header(r, CloudEvents.ID)).toList(), "the rows around it, in order");
        assertEquals(1, deadLetters.size(), "the row is described on the dead-letter topic");
        var described = new ObjectMapper().readTree(deadLetters.get(0).value());
        assertEquals(forbidden, described.get("topic").asText());
        assertTrue(described.get("error").asText().contains("source accounts may not publish to " + forbidden),
                described.toString());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            assertFalse(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(forbidden),
                    "nothing was ever sent to " + forbidden);
        }
        given().accept("text/plain").when().get("/q/metrics").then().statusCode(200)
                .body(matchesPattern("(?s).*relay_events_refused_total\\{source=\"accounts\",} [1-9].*"));
    }

    @Test
    void a_lane_the_broker_keeps_refusing_is_reported_and_retried_alone_while_other_lanes_flow_and_drains_once_fixed()
            throws Exception {
        // A topic that refuses every write until an operator changes it, as an ACL or a topic missing where
        // auto-creation is off would (this broker has no authorizer and creates topics): it accepts no timestamp
        // older than the broker's clock, and a record's is taken at send, at least the producer's linger earlier.
        String refusing = "relay-test-" + runId + "-refusing-" + UUID.randomUUID();
        String flowing = "relay-test-" + runId + "-" + UUID.randomUUID();
        String stuckAggregate = "acc-" + UUID.randomUUID();
        int stuckLane = OutboxLanes.laneOf(stuckAggregate);
        String otherAggregate = "acc-" + UUID.randomUUID();
        while (OutboxLanes.laneOf(otherAggregate) == stuckLane) {
            otherAggregate = "acc-" + UUID.randomUUID();
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(refusing, 1, (short) 1)
                            .configs(Map.of("message.timestamp.before.max.ms", "0"))))
                    .all().get(30, TimeUnit.SECONDS);
            try {
                Event stuck = new Event(refusing, stuckAggregate, new AccountOpened(stuckAggregate, 1));
                append(List.of(stuck));

                await().alias("lane " + stuckLane + " listed as failing").atMost(WAIT)
                        .untilAsserted(() -> given().when().get("/relay/status").then().statusCode(200)
                                .body("sources.find { it.name == 'accounts' }.failingLanes.lane", hasItem(stuckLane)));
                String lane = "lane=\"" + stuckLane + "\",source=\"accounts\"";
                String metrics = given().accept("text/plain").when().get("/q/metrics").asString();
                assertTrue(metrics.matches("(?s).*relay_lanes_failing\\{source=\"accounts\",} [1-9].*"), "gauge per source");
                assertTrue(metrics.matches("(?s).*relay_lane_failing\\{" + lane + ",} 1\\.0.*"), "gauge per lane");
                assertTrue(metrics.matches("(?s).*relay_lane_failures_total\\{" + lane + ",} [1-9].*"), "failures counted");

                Event other = new Event(flowing, otherAggregate, new AccountOpened(otherAggregate, 1));
                long appended = System.nanoTime();
                append(List.of(other));
                assertEquals(List.of(other.id().toString()), consume(flowing, 1).stream()
                        .map(r -> header(r, CloudEvents.ID)).toList(), "another lane's event flows");
                assertTrue(Duration.ofNanos(System.nanoTime() - appended).compareTo(Duration.ofSeconds(10)) < 0,
                        "and is not held behind the failing lane's retries");
                given().when().get("/relay/status").then()
                        .body("sources.find { it.name == 'accounts' }.failingLanes.find { it.lane == " + stuckLane
                                + " }.failures", greaterThanOrEqualTo(1))
                        .body("sources.find { it.name == 'accounts' }.failingLanes.find { it.lane == " + stuckLane
                                + " }.lastError", notNullValue());
            } finally {
                admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, refusing), List.of(
                        new AlterConfigOp(new ConfigEntry("message.timestamp.before.max.ms", null),
                                AlterConfigOp.OpType.DELETE))))
                        .all().get(30, TimeUnit.SECONDS);
            }
        }

        List<ConsumerRecord<String, String>> drained = TopicReader.read(bootstrap, refusing, refusing, 1, WAIT);
        assertEquals(stuckAggregate, drained.get(0).key(), "once the broker takes it, the lane drains");
        await().alias("lane " + stuckLane + " no longer failing").atMost(WAIT)
                .untilAsserted(() -> given().when().get("/relay/status").then()
                        .body("sources.find { it.name == 'accounts' }.failingLanes.lane", not(hasItem(stuckLane))));
        assertTrue(given().accept("text/plain").when().get("/q/metrics").asString()
                .matches("(?s).*relay_lane_failing\\{lane=\"" + stuckLane + "\",source=\"accounts\",} 0\\.0.*"));
    }

    @Test
    void every_source_connection_runs_with_the_services_statement_idle_transaction_and_keepalive_limits() {
        Pool pool = pools.all().get("accounts");
        Map<String, String> shown = new java.util.LinkedHashMap<>();
        for (String setting : List.of("statement_timeout", "idle_in_transaction_session_timeout", "tcp_keepalives_idle",
                "tcp_keepalives_interval", "tcp_keepalives_count")) {
            shown.put(setting, pool.query("SHOW " + setting).execute()
                    .map(rows -> rows.iterator().next().getString(0))
                    .await().atMost(WAIT));
        }

        assertEquals(Map.of("statement_timeout", "30s", "idle_in_transaction_session_timeout", "1min",
                "tcp_keepalives_idle", "60", "tcp_keepalives_interval", "10", "tcp_keepalives_count", "6"), shown);
    }

    @Test
    void published_positions_are_written_back_to_the_source_for_the_next_owner() {
        String topic = "relay-test-" + runId + "-" + UUID.randomUUID();
        Event event = new Event(topic, "acc-" + UUID.randomUUID(), new AccountOpened("a", 1));
        append(List.of(event));
        consume(topic, 1);

        Row appended = accounts.preparedQuery("SELECT lane, seq FROM outbox WHERE id = $1")
                .execute(Tuple.of(event.id()))
                .map(rows -> rows.iterator().next())
                .await().atMost(WAIT);
        // Written back off the publishing path, within corebank.relay.cursor-save-interval.
        await().alias("the lane's cursor written back past the published row").atMost(WAIT).untilAsserted(() -> assertTrue(accounts
                .preparedQuery("SELECT last_seq FROM outbox_lane_cursor WHERE lane = $1")
                .execute(Tuple.of(appended.getShort("lane")))
                .map(rows -> rows.iterator().next().getLong("last_seq"))
                .await().atMost(WAIT) >= appended.getLong("seq")));
    }

    @Test
    void status_and_metrics_show_each_source_with_its_lanes_and_lag() {
        // Every source, not only the one looked at closely: the metrics below read the orders source's lanes, which
        // it takes on its own connection, in its own time.
        await().alias("/relay/status shows all 3 sources reachable, each with its 32 lanes")
                .atMost(WAIT)
                .untilAsserted(() -> given()
                        .when().get("/relay/status")
                        .then().statusCode(200)
                        .body("sources.name", hasSize(3))
                        .body("sources.reachable", everyItem(equalTo(true)))
                        .body("sources.lanesOwned", everyItem(hasSize(32)))
                        .body("sources.find { it.name == 'accounts' }.lagSeconds", greaterThanOrEqualTo(0f)));

        given()
                .accept("text/plain")
                .when().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("relay_lag_seconds{source=\"accounts\",}"))
                .body(containsString("relay_events_published_total{source=\"transfers\",}"))
                .body(containsString("relay_publish_latency_seconds_bucket{source=\"orders\","))
                .body(containsString("relay_lanes_owned{source=\"orders\",} 32.0"));
    }

    /** Appends the events in one transaction, in order. */
    private void append(List<Event> events) {
        List<Tuple> rows = events.stream().map(Event::row).toList();
        accounts.withTransaction(tx -> tx.preparedQuery(APPEND).executeBatch(rows)).await().atMost(WAIT);
    }

    private List<ConsumerRecord<String, String>> consume(String topic, int expected) {
        return TopicReader.read(bootstrap, topic, topic, expected, WAIT);
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        return TopicReader.header(record, name);
    }
}
