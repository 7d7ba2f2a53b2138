package dev.corebank.relay.source;

import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One outbox row as the relay reads it. */
public record OutboxRow(long seq, UUID id, int lane, String topic, String aggregateType, String aggregateId, String eventType,
        String payload, JsonObject headers, OffsetDateTime createdAt) {

    static OutboxRow from(Row row) {
        return new OutboxRow(
                row.getLong("seq"),
                row.getUUID("id"),
                row.getShort("lane"),
                row.getString("topic"),
                row.getString("aggregate_type"),
                row.getString("aggregate_id"),
                row.getString("event_type"),
                row.getString("payload"),
                row.getJsonObject("headers"),
                row.getOffsetDateTime("created_at"));
    }
}
