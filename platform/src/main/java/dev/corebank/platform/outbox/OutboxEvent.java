package dev.corebank.platform.outbox;

import dev.corebank.outbox.OutboxLanes;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One event to publish: {@code payload} is serialized to JSON when appended, and the record reaches
 * {@code topic} keyed by {@code aggregateId}, so all events of one aggregate stay in order on one partition.
 *
 * @param id          the CloudEvents id and the consumers' dedup key (UUIDv7)
 * @param eventType   the CloudEvents type consumers dispatch on, e.g. {@code TransferPosted}
 * @param headers     extra Kafka headers, e.g. {@code traceparent}
 */
public record OutboxEvent(UUID id, String topic, String aggregateType, String aggregateId, String eventType,
        Object payload, Map<String, String> headers) {

    public OutboxEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(aggregateType, "aggregateType");
        Objects.requireNonNull(aggregateId, "aggregateId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(payload, "payload");
        headers = Map.copyOf(headers);
    }

    /** An event named after the message's record type ({@code TransferPosted} for a TransferPosted record). */
    public static OutboxEvent of(UUID id, String topic, String aggregateType, String aggregateId, Record message) {
        return new OutboxEvent(id, topic, aggregateType, aggregateId, message.getClass().getSimpleName(), message, Map.of());
    }

    public OutboxEvent withHeader(String name, String value) {
        Map<String, String> more = new HashMap<>(headers);
        more.put(name, value);
        return new OutboxEvent(id, topic, aggregateType, aggregateId, eventType, payload, more);
    }

    /** The lane of this event's aggregate (see {@link OutboxLanes}). */
    public int lane() {
        return OutboxLanes.laneOf(aggregateId);
    }
}
