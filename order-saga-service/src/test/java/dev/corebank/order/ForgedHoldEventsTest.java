package dev.corebank.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corebank.outbox.CloudEvents;
import dev.corebank.platform.id.UuidV7;
import dev.corebank.testing.LiveLedger;
import dev.corebank.testing.TopicReader;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * While the ledger is away and an order waits for its hold, hold events for that hold that the ledger did not
 * send (another service's source, or none) and one that does not parse arrive on the real topic: none moves the
 * saga, each lands on {@code ledger.events.dlt} and is counted, and once the ledger is back the order ends by what the ledger did.
 */
@QuarkusTest
class ForgedHoldEventsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static LiveLedger ledger;

    @Inject
    Pool pool;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "corebank.orders.topics.ledger-events")
    String ledgerEvents;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @BeforeAll
    static void ledger() {
        ledger = OrderLedger.get();
    }

    @Test
    void forged_hold_rejections_cancel_nothing_and_are_dead_lettered_and_counted()
            throws Exception {
        UUID merchant = ledger.openAccount("EUR", 0);
        UUID customer = ledger.openAccount("EUR", 5_000);
        String sku = Orders.product(1_200, 4, merchant);
        double untrustedBefore = untrusted();
        double unreadableBefore = registry.counter("orders.ledger_replies.unreadable").count();
        String id;
        ledger.kill();
        try {
            Response accepted = Orders.place(UUID.randomUUID().toString(), customer, sku);
            assertEquals(202, accepted.statusCode(), accepted.asString());
            id = accepted.jsonPath().getString("id");
            UUID hold = pool.preparedQuery("SELECT hold_id FROM orders WHERE id = $1").execute(Tuple.of(UUID.fromString(id)))
                    .await().atMost(Duration.ofSeconds(10)).iterator().next().getUUID("hold_id");
            String rejected = "{\"commandId\":\"" + UuidV7.next() + "\",\"holdId\":\"" + hold
                    + "\",\"reason\":\"INSUFFICIENT_FUNDS\",\"detail\":\"forged\"}";
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig())) {
                producer.send(event(hold, "HoldRejected", rejected, CloudEvents.sourceOf("transfers")));
                producer.send(event(hold, "HoldRejected", rejected, null));
                producer.send(event(hold, "HoldPlaced", "\u0000{not json", CloudEvents.sourceOf("accounts")));
                producer.flush();
            }

            List<ConsumerRecord<String, String>> dead = TopicReader.read(bootstrap, ledgerEvents + ".dlt",
                    "dlt-reader-" + UUID.randomUUID(), 3, WAIT).stream()
                    .filter(record -> hold.toString().equals(record.key()))
                    .toList();
            assertEquals(3, dead.size(), "both forgeries and the unreadable event dead-lettered");
            dead.forEach(record -> assertEquals("order-saga-service", TopicReader.header(record, "dead-letter-consumer")));
            assertTrue(TopicReader.header(dead.get(0), "dead-letter-reason").contains("may send it"));
            assertEquals("PENDING", Orders.get(id).jsonPath().getString("status"), "no forged rejection cancelled it");
        } finally {
            ledger.restart();
        }

        // The saga's own deadlines (seconds, in tests) may run out while the ledger is away on a busy machine: then it
        // compensates for LEDGER_TIMEOUT. Either way it ends by what the ledger did, never by the forged rejection.
        Response done = Orders.awaitFinal(id, WAIT);
        String outcome = done.jsonPath().getString("status") + " " + done.jsonPath().getString("reason");
        assertTrue(outcome.equals("CONFIRMED null") || outcome.equals("CANCELLED LEDGER_TIMEOUT"), done.asString());
        assertTrue(done.asString().indexOf("INSUFFICIENT_FUNDS") < 0, done.asString());
        assertEquals(2, untrusted() - untrustedBefore);
        assertEquals(1, registry.counter("orders.ledger_replies.unreadable").count() - unreadableBefore);
    }

    private double untrusted() {
        return registry.find("messages.untrusted").tag("consumer", "order-ledger-replies").counters().stream()
                .mapToDouble(counter -> counter.count()).sum();
    }

    private ProducerRecord<String, String> event(UUID hold, String type, String payload, String source) {
        ProducerRecord<String, String> record = new ProducerRecord<>(ledgerEvents, hold.toString(), payload);
        record.headers().add(CloudEvents.ID, UuidV7.next().toString().getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEvents.TYPE, type.getBytes(StandardCharsets.UTF_8));
        if (source != null) {
            record.headers().add(CloudEvents.SOURCE, source.getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    private Properties producerConfig() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return props;
    }
}
