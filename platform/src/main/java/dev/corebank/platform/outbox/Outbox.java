package dev.corebank.platform.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corebank.outbox.OutboxLanes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.UUID;

/**
 * Appends events to the outbox inside the caller's transaction: they become visible to the relay exactly
 * when the business change commits, and vanish with it on rollback. Nothing here talks to Kafka.
 *
 * <p>Append all of a transaction's events in one call, as its last statement: the call locks the events'
 * lanes in ascending order (no deadlock between appenders) and holds them until commit, which is what makes
 * sequence order within a lane equal to commit order (see {@link OutboxLanes}).
 */
@Singleton
public class Outbox {

    // One round trip: the lane locks are an InitPlan (the uncorrelated sub-select in WHERE), so they are
    // all taken, in ascending lane order, before the first row is inserted.
    private static final String APPEND = """
            WITH locked AS (
                SELECT pg_advisory_xact_lock($1::int, lane) FROM unnest($2::int[]) AS t(lane) ORDER BY lane
            )
            INSERT INTO outbox (id, lane, topic, aggregate_type, aggregate_id, event_type, payload, headers)
            SELECT * FROM unnest($3::uuid[], $4::smallint[], $5::text[], $6::text[], $7::text[], $8::text[],
                                 $9::text[]::jsonb[], $10::text[]::jsonb[])
            WHERE (SELECT count(*) FROM locked) > 0""";

    private final ObjectMapper json;
    private final Counter appended;

    public Outbox(ObjectMapper json, MeterRegistry registry) {
        this.json = json;
        this.appended = Counter.builder("outbox.events.appended")
                .description("Events appended to the outbox (committed or not)")
                .register(registry);
    }

    public Uni<Void> append(SqlConnection transaction, OutboxEvent... events) {
        return append(transaction, List.of(events));
    }

    public Uni<Void> append(SqlConnection transaction, List<OutboxEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return transaction.preparedQuery(APPEND)
                .execute(rows(events))
                .invoke(() -> appended.increment(events.size()))
                .replaceWithVoid();
    }

    private Tuple rows(List<OutboxEvent> events) {
        Integer[] lanesInOrder = events.stream()
                .map(OutboxEvent::lane)
                .distinct()
                .sorted()
                .toArray(Integer[]::new);
        int n = events.size();
        UUID[] ids = new UUID[n];
        Short[] lanes = new Short[n];
        String[] topics = new String[n];
        String[] aggregateTypes = new String[n];
        String[] aggregateIds = new String[n];
        String[] eventTypes = new String[n];
        String[] payloads = new String[n];
        String[] headers = new String[n];
        for (int i = 0; i < n; i++) {
            OutboxEvent event = events.get(i);
            ids[i] = event.id();
            lanes[i] = (short) event.lane();
            topics[i] = event.topic();
            aggregateTypes[i] = event.aggregateType();
            aggregateIds[i] = event.aggregateId();
            eventTypes[i] = event.eventType();
            payloads[i] = toJson(event.payload());
            headers[i] = toJson(event.headers());
        }
        return Tuple.tuple(List.of(OutboxLanes.APPEND_LOCK, lanesInOrder,
                ids, lanes, topics, aggregateTypes, aggregateIds, eventTypes, payloads, headers));
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize " + value.getClass().getName() + " to JSON", e);
        }
    }
}
