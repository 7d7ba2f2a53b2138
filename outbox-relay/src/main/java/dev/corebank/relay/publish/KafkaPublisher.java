package dev.corebank.relay.publish;

import dev.corebank.base.kafka.KafkaSecurity;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The relay's one Kafka producer: idempotent, {@code acks=all}, so a record the broker acknowledged is on
 * every in-sync replica, and retries never duplicate or reorder within a partition.
 */
@Singleton
public class KafkaPublisher {

    private final Producer<String, byte[]> producer;
    private final ExecutorService sender;
    private final ExecutorService apart;

    @Inject
    KafkaPublisher(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this(producer(kafkaConfig));
    }

    /** Over any producer: tests hand in one that refuses records as the real one does. */
    KafkaPublisher(Producer<String, byte[]> producer) {
        this.producer = producer;
        this.sender = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "relay-kafka-sender"));
        this.apart = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "relay-kafka-sender-apart"));
    }

    private static Producer<String, byte[]> producer(Map<String, Object> kafkaConfig) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaConfig.get("bootstrap.servers"));
        config.putAll(KafkaSecurity.settings(kafkaConfig));
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        // Batches form while the previous one is in flight; a millisecond of linger adds little latency.
        config.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        // A broker outage fails a batch within half a minute; the lane retries it from its cursor.
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        // send() may wait this long for topic metadata; it runs on the sender thread, never an event loop.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay");
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Sends the records in order; completes once the broker answered for every one, with each record's
     * failure in the same order (null where it was acknowledged).
     */
    public Uni<List<Throwable>> publish(List<ProducerRecord<String, byte[]>> records) {
        return publishOn(sender, records);
    }

    /**
     * As {@link #publish}, from a sender thread of its own: for the rows of a lane the broker keeps refusing,
     * whose {@code send} may wait out the metadata timeout (a missing topic) without holding anyone else's.
     */
    public Uni<List<Throwable>> publishApart(List<ProducerRecord<String, byte[]>> records) {
        return publishOn(apart, records);
    }

    private Uni<List<Throwable>> publishOn(ExecutorService thread, List<ProducerRecord<String, byte[]>> records) {
        return Uni.createFrom().completionStage(() -> CompletableFuture
                .supplyAsync(() -> sendAll(records), thread)
                .thenCompose(acks -> CompletableFuture.allOf(acks)
                        .handle((ignored, failure) -> Stream.of(acks).map(KafkaPublisher::failureOf).toList())));
    }

    /**
     * Failures that are the record's own and will recur however often it is sent: too large for the
     * producer, or a topic name Kafka refuses. Anything else (timeouts, the broker away) is worth a retry.
     */
    public static boolean unpublishable(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof RecordTooLargeException || cause instanceof InvalidTopicException;
    }

    private static Throwable failureOf(CompletableFuture<?> ack) {
        return ack.isCompletedExceptionally() ? ack.handle((ignored, failure) -> failure).join() : null;
    }

    /**
     * Nothing after a record the producer refused for a passing reason may be sent: a later record of the same
     * aggregate would overtake it when the round is retried. Such a refusal comes as a thrown exception or,
     * for most of them (the topic's metadata not there in time, a full buffer), through the callback before
     * {@code send} returns. The records left unsent fail with {@link NotSent}, which names it: they were not
     * refused themselves, and their lanes resume from their cursors.
     * A record that can never be published does not stop the rest: it goes to the dead-letter topic.
     */
    private CompletableFuture<?>[] sendAll(List<ProducerRecord<String, byte[]>> records) {
        CompletableFuture<?>[] acks = new CompletableFuture<?>[records.size()];
        for (int i = 0; i < acks.length; i++) {
            CompletableFuture<Void> ack = new CompletableFuture<>();
            acks[i] = ack;
            try {
                producer.send(records.get(i), (metadata, error) -> {
                    if (error == null) {
                        ack.complete(null);
                    } else {
                        ack.completeExceptionally(error);
                    }
                });
            } catch (RuntimeException e) {
                ack.completeExceptionally(e);
            }
            Throwable refused = failureOf(ack);
            if (refused != null && !unpublishable(refused)) {
                NotSent notSent = new NotSent(refused);
                for (int rest = i + 1; rest < acks.length; rest++) {
                    acks[rest] = CompletableFuture.failedFuture(notSent);
                }
                break;
            }
        }
        return acks;
    }

    /** Whether the record failed only because an earlier one of its batch was refused, never reaching the broker. */
    public static boolean notSent(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof NotSent;
    }

    /** A record not sent because an earlier record of its batch was refused (the cause). */
    public static final class NotSent extends RuntimeException {

        public NotSent(Throwable refused) {
            super("not sent: an earlier record of the batch was refused (" + refused + ")", refused, false, false);
        }
    }

    @PreDestroy
    void close() {
        sender.shutdown();
        apart.shutdown();
        producer.close(Duration.ofSeconds(5));
    }
}
