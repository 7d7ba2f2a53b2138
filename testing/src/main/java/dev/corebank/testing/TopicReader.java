package dev.corebank.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads what actually reached a topic, as a consumer would: from the beginning, with its own group. */
public final class TopicReader {

    private TopicReader() {
    }

    /** Consumer settings for a fresh group reading from the beginning, string keys and values by default. */
    public static Properties config(String bootstrap, String group, Map<String, String> overrides) {
        Map<String, String> config = new HashMap<>(Map.of(
                "bootstrap.servers", bootstrap,
                "group.id", group,
                "auto.offset.reset", "earliest",
                "key.deserializer", StringDeserializer.class.getName(),
                "value.deserializer", StringDeserializer.class.getName()));
        config.putAll(overrides);
        Properties properties = new Properties();
        properties.putAll(config);
        return properties;
    }

    /** Reads {@code topic} until at least {@code expected} records arrived; fails after {@code timeout}. */
    public static List<ConsumerRecord<String, String>> read(String bootstrap, String topic, String group, int expected,
            Duration timeout) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config(bootstrap, group, Map.of()))) {
            consumer.subscribe(List.of(topic));
            while (records.size() < expected) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("only " + records.size() + " of " + expected + " records on " + topic
                            + " within " + timeout);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /**
     * The records on {@code topic} keyed {@code key}: read from the beginning until at least one arrived and
     * the reader has caught up with the topic; fails if none arrived within {@code timeout}.
     */
    public static List<ConsumerRecord<String, String>> readKey(String bootstrap, String topic, String key, Duration timeout) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config(bootstrap,
                "read-key-" + java.util.UUID.randomUUID(), Map.of()))) {
            consumer.subscribe(List.of(topic));
            while (true) {
                var batch = consumer.poll(Duration.ofMillis(500));
                batch.forEach(record -> {
                    if (key.equals(record.key())) {
                        records.add(record);
                    }
                });
                if (!records.isEmpty() && batch.isEmpty()) {
                    return records;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no record keyed " + key + " on " + topic + " within " + timeout);
                }
            }
        }
    }

    /** A header's value as text, or null when the record has no such header. */
    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
