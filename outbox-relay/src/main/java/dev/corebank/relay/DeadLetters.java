package dev.corebank.relay;

import dev.corebank.relay.publish.CloudEventRecords;
import dev.corebank.relay.publish.KafkaPublisher;
import dev.corebank.relay.source.OutboxRow;
import dev.corebank.relay.source.TopicPolicy;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Outbox rows that are never to be published, each described on the dead-letter topic instead, so that the rows
 * after them flow on. Each method completes only once that topic has all of them: until then the cursors do not
 * pass them.
 */
final class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private final String source;
    private final String topic;
    private final TopicPolicy policy;
    private final KafkaPublisher publisher;
    private final RelayMeters meters;

    DeadLetters(String source, String topic, TopicPolicy policy, KafkaPublisher publisher, RelayMeters meters) {
        this.source = source;
        this.topic = topic;
        this.policy = policy;
        this.publisher = publisher;
        this.meters = meters;
    }

    /** Rows the broker will never take (too large, a topic name Kafka refuses), each with its failure. */
    Uni<Void> unpublishable(Map<OutboxRow, Throwable> rows) {
        List<ProducerRecord<String, byte[]>> deadLetters = new ArrayList<>();
        rows.forEach((row, failure) -> {
            LOG.errorf("%s: row %s (lane %d, seq %d, %s to %s) can never be published (%s); dead-lettered to %s",
                    source, row.id(), row.lane(), row.seq(), row.eventType(), row.topic(), failure, topic);
            deadLetters.add(CloudEventRecords.deadLetter(topic, source, row, failure));
        });
        return publish(deadLetters).invoke(() -> meters.deadLettered(deadLetters.size()));
    }

    /** Rows for a topic their source may not write (a bug, or a service writing where it has no business). */
    Uni<Void> notAllowed(List<OutboxRow> rows) {
        List<ProducerRecord<String, byte[]>> deadLetters = rows.stream()
                .map(row -> {
                    TopicNotAllowed reason = new TopicNotAllowed(policy, row.topic());
                    LOG.errorf("%s: row %s (lane %d, seq %d, %s) not published: %s; dead-lettered to %s", source, row.id(),
                            row.lane(), row.seq(), row.eventType(), reason.getMessage(), topic);
                    return CloudEventRecords.deadLetter(topic, source, row, reason);
                })
                .toList();
        return publish(deadLetters).invoke(() -> meters.refused(deadLetters.size()));
    }

    private Uni<Void> publish(List<ProducerRecord<String, byte[]>> deadLetters) {
        if (deadLetters.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return publisher.publish(deadLetters)
                .invoke(failures -> failures.stream().filter(failure -> failure != null).findFirst()
                        .ifPresent(failure -> {
                            throw new IllegalStateException("dead-letter topic " + topic + " refused a record", failure);
                        }))
                .replaceWithVoid();
    }

    /** Why a row was not published: its topic is outside its source's allowed set. */
    static final class TopicNotAllowed extends RuntimeException {

        TopicNotAllowed(TopicPolicy policy, String topic) {
            super("source " + policy.source() + " may not publish to " + topic + " (allowed: " + policy.patterns() + ")",
                    null, false, false);
        }
    }
}
