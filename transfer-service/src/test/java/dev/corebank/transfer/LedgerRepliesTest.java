package dev.corebank.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.corebank.outbox.CloudEvents;
import dev.corebank.transfer.messaging.LedgerReplies;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Answers on the ledger's topic that cannot be read are dead-lettered and counted: they never stop the consumer. */
@QuarkusTest
class LedgerRepliesTest {

    @Inject
    LedgerReplies replies;

    @Inject
    MeterRegistry registry;

    @Test
    void answers_missing_a_field_they_need_are_dead_lettered_and_counted() {
        double before = unreadable();
        TopicPartition partition = new TopicPartition("ledger-events", 0);
        ConsumerRecords<String, String> records = new ConsumerRecords<>(Map.of(partition, List.of(
                reply(0, "TransferPosted", posted(", \"postedAt\":\"2026-11-30T10:00:00Z\"")),
                reply(1, "TransferPosted", posted(", \"commandId\":\"" + UUID.randomUUID() + "\"")),
                reply(2, "TransferRejected", "{\"commandId\":\"" + UUID.randomUUID() + "\",\"detail\":\"no reason\"}"))),
                Map.of());

        // Were one of them taken for an answer, settling it would fail, and the failure would stop the channel.
        replies.consume(records).await().atMost(Duration.ofSeconds(10));

        assertEquals(3, unreadable() - before);
    }

    /** A TransferPosted with every field but commandId and postedAt, and {@code more} of them. */
    private static String posted(String more) {
        return "{\"fromAccountId\":\"" + UUID.randomUUID() + "\",\"toAccountId\":\"" + UUID.randomUUID()
                + "\",\"amount\":100,\"currency\":\"EUR\"" + more + "}";
    }

    private static ConsumerRecord<String, String> reply(long offset, String type, String payload) {
        ConsumerRecord<String, String> record = new ConsumerRecord<>("ledger-events", 0, offset, "key", payload);
        record.headers().add(CloudEvents.TYPE, type.getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEvents.SOURCE, CloudEvents.sourceOf("accounts").getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private double unreadable() {
        return registry.counter("transfers.ledger_replies.unreadable").count();
    }
}
