package dev.corebank.transfer.idempotency;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

/** The SQL of {@code idempotency_keys}. */
@Singleton
public class IdempotencyRepository {

    // A concurrent insert of the same key waits here until the other transaction ends, then does nothing:
    // of two racing requests exactly one claims the key.
    private static final String CLAIM = """
            INSERT INTO idempotency_keys (client_id, key, fingerprint, transfer_id, created_at, in_flight_until,
                                          response_status, response_body)
            VALUES ($1, $2, $3, $4, now(), $5, $6, $7)
            ON CONFLICT (client_id, key) DO NOTHING""";

    private static final String FIND = """
            SELECT client_id, key, fingerprint, transfer_id, in_flight_until, response_status, response_body
            FROM idempotency_keys WHERE client_id = $1 AND key = $2""";

    private static final String ANSWER = """
            UPDATE idempotency_keys SET response_status = $3, response_body = $4, in_flight_until = NULL
            WHERE client_id = $1 AND key = $2 AND response_status IS NULL""";

    private static final String PURGE = """
            DELETE FROM idempotency_keys WHERE ctid = ANY (ARRAY(
                SELECT ctid FROM idempotency_keys WHERE created_at < $1 LIMIT $2))""";

    /**
     * Binds the key to a new transfer: answered at once with {@code response}, or, with none, in flight until
     * {@code inFlightUntil}. False if the key was already taken.
     */
    public Uni<Boolean> claim(SqlClient client, String clientId, String key, byte[] fingerprint, UUID transferId,
            Instant inFlightUntil, Optional<StoredResponse> response) {
        return client.preparedQuery(CLAIM)
                .execute(Tuple.tuple(Arrays.asList(clientId, key, Buffer.buffer(fingerprint), transferId,
                        inFlightUntil == null ? null : inFlightUntil.atOffset(ZoneOffset.UTC),
                        response.map(StoredResponse::status).orElse(null), response.map(StoredResponse::body).orElse(null))))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Optional<KeyRecord>> find(SqlClient client, String clientId, String key) {
        return client.preparedQuery(FIND)
                .execute(Tuple.of(clientId, key))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(from(rows.iterator().next())));
    }

    /** Stores the answer of a request that was in flight; a key answered already keeps its first answer. */
    public Uni<Void> answer(SqlClient client, String clientId, String key, StoredResponse response) {
        return client.preparedQuery(ANSWER)
                .execute(Tuple.of(clientId, key, response.status(), response.body()))
                .replaceWithVoid();
    }

    /** Deletes up to {@code batch} keys made before {@code before}; returns how many. */
    public Uni<Integer> purge(SqlClient client, Instant before, int batch) {
        return client.preparedQuery(PURGE)
                .execute(Tuple.of(before.atOffset(ZoneOffset.UTC), batch))
                .map(rows -> rows.rowCount());
    }

    private static KeyRecord from(Row row) {
        OffsetDateTime until = row.getOffsetDateTime("in_flight_until");
        Integer status = row.getInteger("response_status");
        UUID transferId = row.getUUID("transfer_id");
        Optional<StoredResponse> response = status == null ? Optional.empty()
                : Optional.of(new StoredResponse(transferId, status, row.getString("response_body")));
        return new KeyRecord(row.getString("client_id"), row.getString("key"), row.getBuffer("fingerprint").getBytes(),
                transferId, until == null ? null : until.toInstant(), response);
    }
}
