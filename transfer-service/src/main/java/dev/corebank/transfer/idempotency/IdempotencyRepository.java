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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The SQL of {@code idempotency_keys}. */
@Singleton
public class IdempotencyRepository {

    // A concurrent insert of the same key waits here until the other transaction ends, then does nothing:
    // of two racing requests exactly one claims the key, also when both are in one batch. Keys go in in
    // (client, key) order, so two batches that share keys wait for each other instead of deadlocking.
    private static final String CLAIM = """
            INSERT INTO idempotency_keys (client_id, key, fingerprint, transfer_id, created_at, in_flight_until,
                                          response_status, response_body)
            SELECT c.client_id, c.key, c.fingerprint, c.transfer_id, now(), c.in_flight_until, c.response_status,
                   c.response_body
            FROM unnest($1::text[], $2::text[], $3::bytea[], $4::uuid[], $5::timestamptz[], $6::int[], $7::text[])
                     AS c(client_id, key, fingerprint, transfer_id, in_flight_until, response_status, response_body)
            ORDER BY c.client_id, c.key
            ON CONFLICT (client_id, key) DO NOTHING
            RETURNING transfer_id""";

    private static final String FIND = """
            SELECT client_id, key, fingerprint, transfer_id, in_flight_until, response_status, response_body
            FROM idempotency_keys WHERE client_id = $1 AND key = $2""";

    // Two batches answer the same key only when a retry answers for a first request that went away; should
    // they deadlock, one fails and GroupCommit stores its answers one by one.
    private static final String ANSWER = """
            UPDATE idempotency_keys k
            SET response_status = a.status, response_body = a.body, in_flight_until = NULL
            FROM unnest($1::text[], $2::text[], $3::int[], $4::text[]) AS a(client_id, key, status, body)
            WHERE k.client_id = a.client_id AND k.key = a.key AND k.response_status IS NULL
            RETURNING k.client_id, k.key, k.transfer_id, k.response_status, k.response_body""";

    // A key whose transfer is still PENDING is kept past its retention: forgotten, it would let a client's
    // retry make a second transfer while the first may still be applied. It goes at the first purge after
    // the transfer settles.
    private static final String PURGE = """
            DELETE FROM idempotency_keys WHERE ctid = ANY (ARRAY(
                SELECT k.ctid FROM idempotency_keys k
                WHERE k.created_at < $1
                  AND NOT EXISTS (SELECT 1 FROM transfers t WHERE t.id = k.transfer_id AND t.status = 'PENDING')
                LIMIT $2))""";

    /** Binds each claim's key to its transfer unless the key is taken; returns the transfers whose claim held. */
    public Uni<Set<UUID>> claim(SqlClient client, List<KeyClaim> claims) {
        int n = claims.size();
        String[] clients = new String[n];
        String[] keys = new String[n];
        Buffer[] fingerprints = new Buffer[n];
        UUID[] transfers = new UUID[n];
        OffsetDateTime[] inFlightUntil = new OffsetDateTime[n];
        Integer[] statuses = new Integer[n];
        String[] bodies = new String[n];
        for (int i = 0; i < n; i++) {
            KeyClaim claim = claims.get(i);
            clients[i] = claim.clientId();
            keys[i] = claim.key();
            fingerprints[i] = Buffer.buffer(claim.fingerprint());
            transfers[i] = claim.transferId();
            inFlightUntil[i] = claim.inFlightUntil() == null ? null : claim.inFlightUntil().atOffset(ZoneOffset.UTC);
            statuses[i] = claim.response().map(StoredResponse::status).orElse(null);
            bodies[i] = claim.response().map(StoredResponse::body).orElse(null);
        }
        return client.preparedQuery(CLAIM)
                .execute(Tuple.tuple(Arrays.asList(clients, keys, fingerprints, transfers, inFlightUntil, statuses, bodies)))
                .map(rows -> {
                    Set<UUID> claimed = new HashSet<>(rows.size());
                    rows.forEach(row -> claimed.add(row.getUUID("transfer_id")));
                    return claimed;
                });
    }

    public Uni<Optional<KeyRecord>> find(SqlClient client, String clientId, String key) {
        return client.preparedQuery(FIND)
                .execute(Tuple.of(clientId, key))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(from(rows.iterator().next())));
    }

    /**
     * Stores answers for keys that have none yet; a key answered already keeps its first answer. Gives, per
     * answer, the answer its key now has if this call stored it, or empty if the key had one before. (Two
     * answers for one key in one call store one of them, and both get that one.)
     */
    public Uni<List<Optional<StoredResponse>>> answer(SqlClient client, List<KeyAnswer> answers) {
        int n = answers.size();
        String[] clients = new String[n];
        String[] keys = new String[n];
        Integer[] statuses = new Integer[n];
        String[] bodies = new String[n];
        for (int i = 0; i < n; i++) {
            KeyAnswer answer = answers.get(i);
            clients[i] = answer.clientId();
            keys[i] = answer.key();
            statuses[i] = answer.response().status();
            bodies[i] = answer.response().body();
        }
        return client.preparedQuery(ANSWER)
                .execute(Tuple.of(clients, keys, statuses, bodies))
                .map(rows -> {
                    Map<List<String>, StoredResponse> kept = new HashMap<>(rows.size());
                    rows.forEach(row -> kept.put(List.of(row.getString("client_id"), row.getString("key")),
                            new StoredResponse(row.getUUID("transfer_id"), row.getInteger("response_status"),
                                    row.getString("response_body"))));
                    return answers.stream()
                            .map(answer -> Optional.ofNullable(kept.get(List.of(answer.clientId(), answer.key()))))
                            .toList();
                });
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
