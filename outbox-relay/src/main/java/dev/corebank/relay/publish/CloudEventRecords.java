package dev.corebank.relay.publish;

import dev.corebank.outbox.CloudEvents;
import dev.corebank.relay.source.OutboxRow;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * An outbox row as a CloudEvents 1.0 binary-mode Kafka record: the payload is the value, the attributes are
 * {@code ce_*} headers, the aggregate id is the key (one aggregate, one partition, its order kept).
 */
public final class CloudEventRecords {

    private CloudEventRecords() {
    }

    public static ProducerRecord<String, byte[]> toRecord(String source, OutboxRow row) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(row.topic(), row.aggregateId(),
                row.payload().getBytes(StandardCharsets.UTF_8));
        Headers headers = record.headers();
        add(headers, CloudEvents.SPEC_VERSION, CloudEvents.VERSION_1_0);
        add(headers, CloudEvents.ID, row.id().toString());
        add(headers, CloudEvents.TYPE, row.eventType());
        add(headers, CloudEvents.SOURCE, CloudEvents.sourceOf(source));
        add(headers, CloudEvents.TIME, row.createdAt().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        add(headers, CloudEvents.SUBJECT, row.aggregateType() + "/" + row.aggregateId());
        add(headers, CloudEvents.CONTENT_TYPE, CloudEvents.JSON);
        if (row.headers() != null) {
            for (Map.Entry<String, Object> extra : row.headers()) {
                // The CloudEvents attributes come from the row itself; an appender cannot override them
                // (a second ce_id would change the consumers' dedup key).
                if (!extra.getKey().startsWith("ce_") && !extra.getKey().equals(CloudEvents.CONTENT_TYPE)) {
                    add(headers, extra.getKey(), String.valueOf(extra.getValue()));
                }
            }
        }
        return record;
    }

    /**
     * The dead-letter record of a row the broker will not take: what the row was and why it could not go,
     * without its payload (which may be the very reason). Keyed and identified like the row itself.
     */
    public static ProducerRecord<String, byte[]> deadLetter(String topic, String source, OutboxRow row, Throwable failure) {
        JsonObject described = new JsonObject()
                .put("source", source)
                .put("lane", row.lane())
                .put("seq", row.seq())
                .put("id", row.id().toString())
                .put("topic", row.topic())
                .put("aggregateType", row.aggregateType())
                .put("aggregateId", row.aggregateId())
                .put("eventType", row.eventType())
                .put("payloadBytes", row.payload().getBytes(StandardCharsets.UTF_8).length)
                .put("createdAt", row.createdAt().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .put("error", failure.toString());
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, row.aggregateId(),
                described.encode().getBytes(StandardCharsets.UTF_8));
        add(record.headers(), CloudEvents.ID, row.id().toString());
        add(record.headers(), CloudEvents.SOURCE, CloudEvents.sourceOf(source));
        add(record.headers(), CloudEvents.CONTENT_TYPE, CloudEvents.JSON);
        return record;
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
