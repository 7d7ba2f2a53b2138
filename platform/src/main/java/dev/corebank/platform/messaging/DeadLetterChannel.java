package dev.corebank.platform.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Hands a consumed record that must not be applied (malformed, from an untrusted sender, failing beyond
 * retries) to a dead-letter topic, for batch consumers that cannot use the connector's own
 * {@code dead-letter-queue} strategy: the record as it came, with the {@code dead-letter-*} headers that
 * strategy writes, plus {@code dead-letter-consumer}. The consumer acknowledges the record only once the
 * broker took the dead letter, so a dead letter is never lost, only repeated.
 */
public final class DeadLetterChannel {

    private static final Logger LOG = Logger.getLogger(DeadLetterChannel.class);

    private final MutinyEmitter<String> emitter;
    private final String consumer;

    /** Over the emitter of an outgoing channel configured for the dead-letter topic. */
    public DeadLetterChannel(MutinyEmitter<String> emitter, String consumer) {
        this.emitter = emitter;
        this.consumer = consumer;
    }

    public Uni<Void> send(ConsumerRecord<String, String> record, Throwable reason) {
        LOG.errorf(reason, "%s: record %s-%d@%d cannot be applied; sending it to the dead-letter topic", consumer,
                record.topic(), record.partition(), record.offset());
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.add("dead-letter-reason", bytes(String.valueOf(reason.getMessage())));
        headers.add("dead-letter-cause", bytes(reason.getClass().getName()));
        headers.add("dead-letter-topic", bytes(record.topic()));
        headers.add("dead-letter-partition", bytes(Integer.toString(record.partition())));
        headers.add("dead-letter-offset", bytes(Long.toString(record.offset())));
        headers.add("dead-letter-consumer", bytes(consumer));
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(record.key())
                .withHeaders(headers)
                .build();
        return emitter.sendMessage(Message.of(record.value()).addMetadata(metadata))
                // Losing a dead letter would lose the message: wait out a broker outage.
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).indefinitely();
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
