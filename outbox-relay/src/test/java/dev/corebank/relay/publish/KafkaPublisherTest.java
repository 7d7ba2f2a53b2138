package dev.corebank.relay.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The order of one aggregate's records survives a refused send. KafkaProducer reports most refusals (no topic
 * metadata in time, a full buffer) through the callback before send returns, without throwing.
 */
class KafkaPublisherTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void nothing_is_sent_after_a_record_refused_for_a_passing_reason() {
        Refusing producer = new Refusing(new TimeoutException("Topic t not present in metadata after 10000 ms."));
        KafkaPublisher publisher = new KafkaPublisher(producer);

        List<Throwable> failures = publisher.publish(List.of(record("x", "1"), record("x", "2"), record("x", "3")))
                .await().atMost(WAIT);

        assertEquals(List.of(), producer.history(), "a later record of the aggregate would overtake the refused one");
        assertEquals(3, failures.size());
        assertInstanceOf(TimeoutException.class, failures.get(0), "the refused record fails with its refusal");
        for (Throwable notSent : failures.subList(1, 3)) {
            assertTrue(KafkaPublisher.notSent(notSent), "the records after it were not sent: " + notSent);
            assertInstanceOf(TimeoutException.class, notSent.getCause(), "naming the refusal");
        }
        assertFalse(KafkaPublisher.notSent(failures.get(0)));
    }

    @Test
    void a_record_that_can_never_be_published_does_not_stop_the_rest() {
        Refusing producer = new Refusing(new RecordTooLargeException("too large"));
        KafkaPublisher publisher = new KafkaPublisher(producer);

        List<Throwable> failures = publisher.publish(List.of(record("x", "1"), record("x", "2"))).await().atMost(WAIT);

        assertInstanceOf(RecordTooLargeException.class, failures.get(0));
        assertNull(failures.get(1));
        assertEquals(List.of("2"), producer.history().stream().map(sent -> new String(sent.value())).toList());
    }

    private static ProducerRecord<String, byte[]> record(String key, String value) {
        return new ProducerRecord<>("t", key, value.getBytes());
    }

    /** Refuses the first record as KafkaProducer does (callback, then a failed future); sends the others. */
    private static final class Refusing extends MockProducer<String, byte[]> {

        private final RuntimeException refusal;
        private boolean refused;

        Refusing(RuntimeException refusal) {
            super(true, null, new StringSerializer(), new ByteArraySerializer());
            this.refusal = refusal;
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<String, byte[]> record, Callback callback) {
            if (!refused) {
                refused = true;
                callback.onCompletion(null, refusal);
                return CompletableFuture.failedFuture(refusal);
            }
            return super.send(record, callback);
        }
    }
}
