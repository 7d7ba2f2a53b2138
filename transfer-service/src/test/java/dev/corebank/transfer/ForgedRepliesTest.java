package dev.corebank.transfer;

import static org.awaitility.Awaitility.await;
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
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Records on the real ledger-events topic that must not settle anything: answers from a sender other than the
 * ledger, or from none (a forged TransferRejected would make a client pay twice), and poison from the ledger's
 * own source (bytes that do not parse, an answer for a command nobody sent that the database refuses). None is
 * applied, each lands on {@code ledger.events.dlt} and is counted, and the answers behind them still settle.
 */
@QuarkusTest
class ForgedRepliesTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    Pool pool;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "corebank.transfers.topics.ledger-events")
    String ledgerEvents;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void forged_and_poison_answers_settle_nothing_are_dead_lettered_and_counted_and_the_real_answer_still_settles() {
        UUID transfer = pending();
        String key = transfer.toString();
        // The order saga is not a sender this consumer knows of: counted as "other", as any name no service has.
        double untrustedBefore = untrusted("TransferRejected", "other")
                + untrusted("TransferPosted", "none");
        double unreadableBefore = registry.counter("transfers.ledger_replies.unreadable").count();
        double failedBefore = registry.counter("transfers.ledger_replies.failed").count();

        // One key, so one partition: the real answer comes after every bad record, and is read only if none stopped it.
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig())) {
            producer.send(answer(key, "TransferRejected", rejected(transfer, "forged"), CloudEvents.sourceOf("orders")));
            producer.send(answer(key, "TransferPosted", posted(transfer), null));
            producer.send(answer(key, "TransferPosted", "\u0000{not json", CloudEvents.sourceOf("accounts")));
            // A NUL in text: PostgreSQL refuses the whole settling statement, however often it is tried.
            producer.send(answer(key, "TransferRejected", rejected(UUID.randomUUID(), "nul \\u0000 here"),
                    CloudEvents.sourceOf("accounts")));
            producer.send(answer(key, "TransferPosted", posted(transfer), CloudEvents.sourceOf("accounts")));
            producer.flush();
        }

        await().atMost(WAIT).until(() -> !"PENDING".equals(status(transfer)));
        assertEquals("COMPLETED", status(transfer), "settled by the ledger's answer, not the forged rejection");
        List<ConsumerRecord<String, String>> dead = TopicReader.read(bootstrap, ledgerEvents + ".dlt",
                "dlt-reader-" + UUID.randomUUID(), 4, WAIT).stream()
                .filter(record -> key.equals(record.key()))
                .toList();
        assertEquals(4, dead.size(), "forged, unsourced, unreadable and failing answers all dead-lettered");
        dead.forEach(record -> assertEquals("transfer-service", TopicReader.header(record, "dead-letter-consumer")));
        assertTrue(TopicReader.header(dead.get(0), "dead-letter-reason").contains("may send it"));
        assertEquals(2, untrusted("TransferRejected", "other")
                + untrusted("TransferPosted", "none") - untrustedBefore);
        assertEquals(1, registry.counter("transfers.ledger_replies.unreadable").count() - unreadableBefore);
        assertEquals(1, registry.counter("transfers.ledger_replies.failed").count() - failedBefore);
    }

    @Test
    void a_poison_answer_on_the_topic_does_not_stop_later_transfers_settling_through_the_real_ledger() {
        LiveLedger ledger = TransferLedger.get();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig())) {
            // Onto every partition, so whichever the transfer's answer takes has poison before it.
            for (int partition = 0; partition < producer.partitionsFor(ledgerEvents).size(); partition++) {
                producer.send(new ProducerRecord<>(ledgerEvents, partition, "poison", "\u0000{not json",
                        List.of(header(CloudEvents.TYPE, "TransferPosted"),
                                header(CloudEvents.SOURCE, CloudEvents.sourceOf("accounts")))));
                producer.send(answer(partition, "TransferRejected", rejected(UUID.randomUUID(), "nul \\u0000 here")));
            }
            producer.flush();
        }
        UUID from;
        UUID to;
        try {
            from = ledger.openAccount("EUR", 1_000);
            to = ledger.openAccount("EUR", 0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }

        Response response = new Transfers().postAndWait(UUID.randomUUID().toString(), from, to, 100, "EUR", 30);

        assertEquals("COMPLETED", response.jsonPath().getString("status"), response.asString());
    }

    private ProducerRecord<String, String> answer(int partition, String type, String payload) {
        return new ProducerRecord<>(ledgerEvents, partition, "poison", payload, List.of(header(CloudEvents.TYPE, type),
                header(CloudEvents.SOURCE, CloudEvents.sourceOf("accounts"))));
    }

    /** A transfer PENDING in this service's database whose command was never sent, nor will be for a day. */
    private UUID pending() {
        UUID id = UuidV7.next();
        var created = UuidV7.instantOf(id).atOffset(ZoneOffset.UTC);
        pool.preparedQuery("""
                INSERT INTO transfers (id, from_account_id, to_account_id, amount, currency, created_at, last_sent_at)
                VALUES ($1, $2, $3, 100, 'EUR', $4, $5)""")
                .execute(Tuple.of(id, UUID.randomUUID(), UUID.randomUUID(), created,
                        Instant.now().plus(Duration.ofDays(1)).atOffset(ZoneOffset.UTC)))
                .await().atMost(Duration.ofSeconds(10));
        return id;
    }

    private String status(UUID transfer) {
        return pool.preparedQuery("SELECT status FROM transfers WHERE id = $1").execute(Tuple.of(transfer))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getString("status");
    }

    private ProducerRecord<String, String> answer(String key, String type, String payload, String source) {
        ProducerRecord<String, String> record = new ProducerRecord<>(ledgerEvents, key, payload);
        record.headers().add(header(CloudEvents.ID, UuidV7.next().toString()));
        record.headers().add(header(CloudEvents.TYPE, type));
        if (source != null) {
            record.headers().add(header(CloudEvents.SOURCE, source));
        }
        return record;
    }

    private static org.apache.kafka.common.header.Header header(String name, String value) {
        return new org.apache.kafka.common.header.internals.RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String rejected(UUID transfer, String detail) {
        return "{\"commandId\":\"" + transfer + "\",\"reason\":\"INSUFFICIENT_FUNDS\",\"detail\":\"" + detail + "\"}";
    }

    private static String posted(UUID transfer) {
        return "{\"commandId\":\"" + transfer + "\",\"fromAccountId\":\"" + UUID.randomUUID() + "\",\"toAccountId\":\""
                + UUID.randomUUID() + "\",\"amount\":100,\"currency\":\"EUR\",\"postedAt\":\"" + Instant.now() + "\"}";
    }

    private double untrusted(String type, String source) {
        return registry.counter("messages.untrusted", "consumer", "transfer-ledger-replies", "type", type,
                "source", source).count();
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
