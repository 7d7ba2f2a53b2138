package dev.corebank.platform.inbox;

import dev.corebank.base.db.DatabaseFailures;
import dev.corebank.outbox.CloudEvents;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.Logger;

/**
 * Idempotent consumption: a message's effect and the record of its id commit in one transaction, so a
 * redelivered message is recognised and skipped. Used from an {@code @Incoming} method that returns the
 * {@link Uni}: the connector acknowledges, and the offset moves, only after that transaction committed.
 *
 * <p>A failing message is retried with exponential backoff a bounded number of times; then the Uni fails,
 * the connector's {@code dead-letter-queue} failure strategy sends it to the dead-letter topic with the
 * error in its headers, and the partition moves on.
 */
@Singleton
public class Inbox {

    private static final Logger LOG = Logger.getLogger(Inbox.class);

    private static final String RECORD = """
            INSERT INTO inbox (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING""";
    private static final String CLAIM = """
            INSERT INTO inbox (consumer, message_id) SELECT $1, unnest($2::uuid[])
            ON CONFLICT DO NOTHING RETURNING message_id""";
    private static final String PURGE = """
            DELETE FROM inbox WHERE processed_at < now() - $1 * interval '1 second'""";

    private final Pool pool;
    private final InboxConfig config;
    private final MeterRegistry registry;

    public Inbox(Pool pool, InboxConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.config = config;
        this.registry = registry;
    }

    /** Applies {@code effect} once for the record's CloudEvents id, in one transaction with the id. */
    public Uni<Void> process(String consumer, ConsumerRecord<?, ?> record, Function<SqlConnection, Uni<Void>> effect) {
        return Uni.createFrom().item(() -> messageId(record))
                .onFailure().invoke(e -> deadLettered(consumer, where(record), e))
                .chain(id -> process(consumer, id, effect));
    }

    /** Applies {@code effect} once for {@code messageId}, in one transaction with the id. */
    public Uni<Void> process(String consumer, UUID messageId, Function<SqlConnection, Uni<Void>> effect) {
        return Uni.createFrom().deferred(() -> once(consumer, messageId, effect))
                // The database being away is no reason to give a message up: wait for it, holding the partition.
                .onFailure(DatabaseFailures::transientFailure)
                .retry().withBackOff(config.initialBackoff(), config.maxBackoff()).indefinitely()
                .onFailure(e -> !(e instanceof MalformedMessage))
                .retry().withBackOff(config.initialBackoff(), config.maxBackoff()).atMost(config.maxRetries())
                .onFailure().invoke(e -> deadLettered(consumer, messageId.toString(), e));
    }

    /**
     * For consumers that apply many messages in one transaction of their own: records the ids in
     * {@code tx} and returns those not seen before, the ones to apply. Once the transaction committed, the
     * consumer reports the batch to {@link #counted} (a batch rolled back and retried must count once).
     */
    public Uni<Set<UUID>> claim(SqlConnection tx, String consumer, Collection<UUID> messageIds) {
        return tx.preparedQuery(CLAIM)
                .execute(Tuple.of(consumer, messageIds.toArray(UUID[]::new)))
                .map(rows -> {
                    Set<UUID> fresh = new HashSet<>();
                    rows.forEach(row -> fresh.add(row.getUUID("message_id")));
                    return fresh;
                });
    }

    /** Counts a committed batch of {@code received} messages, {@code applied} of them new, the rest duplicates. */
    public void counted(String consumer, int received, int applied) {
        registry.counter("inbox.messages", "consumer", consumer, "outcome", "processed").increment(applied);
        registry.counter("inbox.messages", "consumer", consumer, "outcome", "duplicate").increment(received - applied);
    }

    private Uni<Void> once(String consumer, UUID messageId, Function<SqlConnection, Uni<Void>> effect) {
        return pool.withTransaction(tx -> tx.preparedQuery(RECORD)
                .execute(Tuple.of(consumer, messageId))
                .chain(rows -> rows.rowCount() == 1 ? effect.apply(tx).replaceWith(true) : Uni.createFrom().item(false)))
                .invoke(fresh -> registry.counter("inbox.messages", "consumer", consumer,
                        "outcome", fresh ? "processed" : "duplicate").increment())
                .replaceWithVoid();
    }

    private void deadLettered(String consumer, String message, Throwable failure) {
        registry.counter("inbox.messages", "consumer", consumer, "outcome", "dead-lettered").increment();
        LOG.errorf(failure, "message %s failed for %s; handing it to the dead-letter topic", message, consumer);
    }

    /** The CloudEvents id of a Kafka record, which every relayed record carries. */
    public static UUID messageId(ConsumerRecord<?, ?> record) {
        Header header = record.headers().lastHeader(CloudEvents.ID);
        if (header == null) {
            throw new MalformedMessage("record " + where(record) + " has no " + CloudEvents.ID + " header");
        }
        String value = new String(header.value(), StandardCharsets.UTF_8);
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new MalformedMessage(CloudEvents.ID + " is not a UUID: " + value, e);
        }
    }

    private static String where(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    @Scheduled(every = "${corebank.inbox.purge-interval:1h}", delayed = "5m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purge() {
        return pool.preparedQuery(PURGE)
                .execute(Tuple.of(config.retention().toSeconds()))
                .invoke(rows -> LOG.debugf("purged %d inbox ids older than %s", rows.rowCount(), config.retention()))
                .onFailure().invoke(e -> LOG.warn("inbox purge failed; retried next interval", e))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
