package dev.corebank.order.orders;

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
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The SQL of {@code order_requests}, the Idempotency-Keys of POST /orders. */
@Singleton
public class OrderRequestRepository {

    // Of two racing requests with one key exactly one claims it: the other's insert waits for the first
    // transaction and then does nothing. Keys go in sorted, so two batches sharing keys cannot deadlock.
    private static final String CLAIM = """
            INSERT INTO order_requests (client_id, key, fingerprint, order_id, in_flight_until)
            SELECT * FROM unnest($1::text[], $2::text[], $3::bytea[], $4::uuid[], $5::timestamptz[])
                              AS r(client_id, key, fingerprint, order_id, in_flight_until)
            ORDER BY client_id, key
            ON CONFLICT (client_id, key) DO NOTHING
            RETURNING order_id""";

    private static final String FIND = """
            SELECT client_id, key, fingerprint, order_id, in_flight_until
            FROM order_requests WHERE client_id = $1 AND key = $2""";

    private static final String PURGE = """
            DELETE FROM order_requests WHERE ctid = ANY (ARRAY(
                SELECT ctid FROM order_requests WHERE created_at < $1 LIMIT $2))""";

    /** Binds each request's key to its order unless the key is taken; returns the orders whose claim held. */
    public Uni<Set<UUID>> claim(SqlClient client, List<OrderRequest> requests) {
        int n = requests.size();
        String[] clients = new String[n];
        String[] keys = new String[n];
        Buffer[] fingerprints = new Buffer[n];
        UUID[] orders = new UUID[n];
        OffsetDateTime[] inFlightUntil = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            OrderRequest request = requests.get(i);
            clients[i] = request.clientId();
            keys[i] = request.key();
            fingerprints[i] = Buffer.buffer(request.fingerprint());
            orders[i] = request.orderId();
            inFlightUntil[i] = request.inFlightUntil() == null ? null : request.inFlightUntil().atOffset(ZoneOffset.UTC);
        }
        return client.preparedQuery(CLAIM)
                .execute(Tuple.tuple(Arrays.asList(clients, keys, fingerprints, orders, inFlightUntil)))
                .map(rows -> {
                    Set<UUID> claimed = new HashSet<>(rows.size());
                    rows.forEach(row -> claimed.add(row.getUUID("order_id")));
                    return claimed;
                });
    }

    public Uni<Optional<OrderRequest>> find(SqlClient client, String clientId, String key) {
        return client.preparedQuery(FIND)
                .execute(Tuple.of(clientId, key))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(from(rows.iterator().next())));
    }

    /** Deletes up to {@code batch} keys made before {@code before}; returns how many. */
    public Uni<Integer> purge(SqlClient client, Instant before, int batch) {
        return client.preparedQuery(PURGE)
                .execute(Tuple.of(before.atOffset(ZoneOffset.UTC), batch))
                .map(rows -> rows.rowCount());
    }

    private static OrderRequest from(Row row) {
        OffsetDateTime until = row.getOffsetDateTime("in_flight_until");
        return new OrderRequest(row.getString("client_id"), row.getString("key"),
                row.getBuffer("fingerprint").getBytes(), row.getUUID("order_id"),
                until == null ? null : until.toInstant());
    }
}
