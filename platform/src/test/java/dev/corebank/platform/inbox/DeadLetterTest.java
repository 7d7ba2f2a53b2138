package dev.corebank.platform.inbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corebank.outbox.CloudEvents;
import dev.corebank.platform.id.UuidV7;
import dev.corebank.testing.TopicReader;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Through the real broker: a poison message ends on the dead-letter topic and its partition keeps flowing. */
@QuarkusTest
class DeadLetterTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    Pool pool;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "corebank.test.topic")
    String topic;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void poison_goes_to_the_dead_letter_topic_with_its_error_and_later_messages_still_flow() throws Exception {
        UUID before = UuidV7.next();
        UUID poison = UuidV7.next();
        UUID after = UuidV7.next();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig())) {
            // One key: one partition, so "after" can only be consumed if the poison did not block it.
            producer.send(record(before, "before"));
            producer.send(record(poison, "poison"));
            producer.send(new ProducerRecord<>(topic, "same-key", "no id at all"));
            producer.send(record(after, "after"));
            producer.send(record(before, "before")); // a redelivery of the first
            producer.flush();
        }

        await().alias("the message after the poison applied (inbox_effects has 'after')").atMost(WAIT)
                .until(() -> bodies().contains("after"));
        assertEquals(List.of("before", "after"), bodies(), "each good message applied once, in order");

        List<ConsumerRecord<String, String>> dead = deadLetters(2);
        assertEquals(List.of("poison", "no id at all"), dead.stream().map(ConsumerRecord::value).toList());
        String reason = header(dead.get(0), "dead-letter-reason");
        assertTrue(reason.contains("cannot digest poison"), reason);
        assertTrue(header(dead.get(1), "dead-letter-reason").contains(CloudEvents.ID), header(dead.get(1), "dead-letter-reason"));
        assertEquals(2.0, registry.counter("inbox.messages", "consumer", PoisonAwareConsumer.NAME,
                "outcome", "dead-lettered").count());
    }

    private List<String> bodies() {
        List<String> bodies = new ArrayList<>();
        for (Row row : pool.query("SELECT body FROM inbox_effects WHERE consumer = 'inbox-test' ORDER BY seq")
                .execute().await().atMost(Duration.ofSeconds(10))) {
            bodies.add(row.getString("body"));
        }
        return bodies;
    }

    private List<ConsumerRecord<String, String>> deadLetters(int expected) {
        return TopicReader.read(bootstrap, topic + ".dlt", topic + ".dlt-reader", expected, WAIT);
    }

    private ProducerRecord<String, String> record(UUID id, String body) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, "same-key", body);
        record.headers().add(CloudEvents.ID, id.toString().getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private Properties producerConfig() {
        Properties config = new Properties();
        config.putAll(Map.of(
                "bootstrap.servers", bootstrap,
                "acks", "all",
                "key.serializer", StringSerializer.class.getName(),
                "value.serializer", StringSerializer.class.getName()));
        return config;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        String value = TopicReader.header(record, name);
        return value == null ? "" : value;
    }
}
