package dev.corebank.order.orders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The SQL of {@code orders}: each row is an order and its saga's state. */
@Singleton
public class OrderRepository {

    private static final String COLUMNS = "id, customer_account_id, merchant_account_id, total, currency, status, reason,"
            + " step, stock, hold_id, place_command_id, capture_command_id, void_command_id, attempts, deadline_at,"
            + " items::text AS items, steps::text AS steps, version, created_at, updated_at";

    private static final String INSERT = """
            INSERT INTO orders (id, customer_account_id, merchant_account_id, total, currency, status, reason, step,
                                stock, hold_id, place_command_id, attempts, deadline_at, items, steps, version,
                                created_at, updated_at)
            SELECT id, customer, merchant, total, currency, status, reason, step, stock, hold, place, 0, deadline,
                   items::jsonb, steps::jsonb, 0, at, at
            FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::bigint[], $5::text[], $6::text[], $7::text[],
                        $8::text[], $9::text[], $10::uuid[], $11::uuid[], $12::timestamptz[], $13::text[],
                        $14::text[], $15::timestamptz[])
                     AS o(id, customer, merchant, total, currency, status, reason, step, stock, hold, place, deadline,
                          items, steps, at)""";

    // The saga log only grows: each update appends its own entries. The version check is a guard, not the
    // concurrency control: callers hold the row lock, so a mismatch means a bug, and the transaction fails.
    private static final String UPDATE = """
            UPDATE orders o
            SET status = u.status, reason = u.reason, step = u.step, stock = u.stock,
                capture_command_id = u.capture, void_command_id = u.void, attempts = u.attempts,
                deadline_at = u.deadline, steps = o.steps || u.entries::jsonb, version = u.version,
                updated_at = u.at
            FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::uuid[], $8::int[],
                        $9::timestamptz[], $10::text[], $11::bigint[], $12::timestamptz[])
                     AS u(id, status, reason, step, stock, capture, void, attempts, deadline, entries, version, at)
            WHERE o.id = u.id AND o.version = u.version - 1""";

    private static final String FIND = "SELECT " + COLUMNS + " FROM orders WHERE id = $1";

    private static final String FIND_ALL = "SELECT " + COLUMNS + " FROM orders WHERE id = ANY($1)";

    // Ascending ids, as every transaction that locks several orders takes them.
    private static final String LOCK_BY_HOLDS = "SELECT " + COLUMNS
            + " FROM orders WHERE hold_id = ANY($1) ORDER BY id FOR UPDATE";

    private static final String LOCK = "SELECT " + COLUMNS + " FROM orders WHERE id = $1 FOR UPDATE";

    // Another replica's sweep passes over the rows this one holds instead of queueing behind them.
    private static final String LOCK_DUE = "SELECT " + COLUMNS + " FROM orders"
            + " WHERE status = 'PENDING' AND deadline_at <= $1 ORDER BY deadline_at LIMIT $2 FOR UPDATE SKIP LOCKED";

    private static final String UNFINISHED = "SELECT " + COLUMNS + " FROM orders"
            + " WHERE status = ANY($1) AND updated_at <= $2 ORDER BY updated_at LIMIT $3";

    private static final TypeReference<List<OrderLine>> ITEMS = new TypeReference<>() { };
    private static final TypeReference<List<SagaLogEntry>> LOG = new TypeReference<>() { };

    private final ObjectMapper json;

    public OrderRepository(ObjectMapper json) {
        this.json = json;
    }

    public Uni<Void> insert(SqlConnection tx, List<Order> orders) {
        if (orders.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = orders.size();
        Object[][] columns = new Object[15][];
        columns[0] = new UUID[n];
        columns[1] = new UUID[n];
        columns[2] = new UUID[n];
        columns[3] = new Long[n];
        columns[4] = new String[n];
        columns[5] = new String[n];
        columns[6] = new String[n];
        columns[7] = new String[n];
        columns[8] = new String[n];
        columns[9] = new UUID[n];
        columns[10] = new UUID[n];
        columns[11] = new OffsetDateTime[n];
        columns[12] = new String[n];
        columns[13] = new String[n];
        columns[14] = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            Order order = orders.get(i);
            columns[0][i] = order.id();
            columns[1][i] = order.customerAccountId();
            columns[2][i] = order.merchantAccountId();
            columns[3][i] = order.total();
            columns[4][i] = order.currency();
            columns[5][i] = order.status().name();
            columns[6][i] = order.reason();
            columns[7][i] = order.step().name();
            columns[8][i] = order.stock().name();
            columns[9][i] = order.holdId();
            columns[10][i] = order.placeCommandId();
            columns[11][i] = utc(order.deadlineAt());
            columns[12][i] = toJson(order.items());
            columns[13][i] = toJson(order.log());
            columns[14][i] = utc(order.createdAt());
        }
        return tx.preparedQuery(INSERT).execute(Tuple.tuple(Arrays.asList((Object[]) columns))).replaceWithVoid();
    }

    /**
     * Writes each order's next state over the one it was read in ({@code before}, same order of the lists),
     * appending the log entries it added. Fails if any row is not at the version it was read at.
     */
    public Uni<Void> update(SqlConnection tx, List<Order> before, List<Order> after) {
        if (after.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = after.size();
        Object[][] columns = new Object[12][];
        columns[0] = new UUID[n];
        columns[1] = new String[n];
        columns[2] = new String[n];
        columns[3] = new String[n];
        columns[4] = new String[n];
        columns[5] = new UUID[n];
        columns[6] = new UUID[n];
        columns[7] = new Integer[n];
        columns[8] = new OffsetDateTime[n];
        columns[9] = new String[n];
        columns[10] = new Long[n];
        columns[11] = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            Order order = after.get(i);
            Order was = before.get(i);
            if (!was.id().equals(order.id()) || order.version() <= was.version()) {
                throw new IllegalArgumentException("order " + order.id() + " is not a later state of " + was.id());
            }
            columns[0][i] = order.id();
            columns[1][i] = order.status().name();
            columns[2][i] = order.reason();
            columns[3][i] = order.step().name();
            columns[4][i] = order.stock().name();
            columns[5][i] = order.captureCommandId();
            columns[6][i] = order.voidCommandId();
            columns[7][i] = order.attempts();
            columns[8][i] = utc(order.deadlineAt());
            columns[9][i] = toJson(order.log().subList(was.log().size(), order.log().size()));
            // Several steps of one order in one transaction still write it once: one version up.
            columns[10][i] = was.version() + 1;
            columns[11][i] = utc(order.updatedAt());
        }
        return tx.preparedQuery(UPDATE)
                .execute(Tuple.tuple(Arrays.asList((Object[]) columns)))
                .invoke(rows -> {
                    if (rows.rowCount() != n) {
                        throw new IllegalStateException("updated " + rows.rowCount() + " of " + n
                                + " orders: a row changed under its lock");
                    }
                })
                .replaceWithVoid();
    }

    public Uni<Optional<Order>> find(SqlClient client, UUID id) {
        return client.preparedQuery(FIND).execute(Tuple.of(id)).map(this::first);
    }

    public Uni<List<Order>> find(SqlClient client, Collection<UUID> ids) {
        return client.preparedQuery(FIND_ALL).execute(Tuple.of(ids.toArray(UUID[]::new))).map(this::all);
    }

    /** Locks the orders whose holds are {@code holdIds} (unknown ones are not this service's). */
    public Uni<List<Order>> lockByHolds(SqlConnection tx, Collection<UUID> holdIds) {
        return tx.preparedQuery(LOCK_BY_HOLDS).execute(Tuple.of(holdIds.toArray(UUID[]::new))).map(this::all);
    }

    public Uni<Optional<Order>> lock(SqlConnection tx, UUID id) {
        return tx.preparedQuery(LOCK).execute(Tuple.of(id)).map(this::first);
    }

    /** Locks up to {@code limit} running orders whose deadline is past, skipping rows locked elsewhere. */
    public Uni<List<Order>> lockDue(SqlConnection tx, Instant now, int limit) {
        return tx.preparedQuery(LOCK_DUE).execute(Tuple.of(utc(now), limit)).map(this::all);
    }

    /** Orders in one of {@code statuses} that have not changed since {@code before}, longest unchanged first. */
    public Uni<List<Order>> unfinished(SqlClient client, List<OrderStatus> statuses, Instant before, int limit) {
        return client.preparedQuery(UNFINISHED)
                .execute(Tuple.of(statuses.stream().map(Enum::name).toArray(String[]::new), utc(before), limit))
                .map(this::all);
    }

    private Optional<Order> first(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(from(rows.iterator().next()));
    }

    private List<Order> all(RowSet<Row> rows) {
        List<Order> orders = new ArrayList<>(rows.size());
        rows.forEach(row -> orders.add(from(row)));
        return orders;
    }

    private Order from(Row row) {
        OffsetDateTime deadline = row.getOffsetDateTime("deadline_at");
        return new Order(row.getUUID("id"), row.getUUID("customer_account_id"), row.getUUID("merchant_account_id"),
                row.getLong("total"), row.getString("currency"), OrderStatus.valueOf(row.getString("status")),
                row.getString("reason"), SagaStep.valueOf(row.getString("step")),
                StockState.valueOf(row.getString("stock")), row.getUUID("hold_id"), row.getUUID("place_command_id"),
                row.getUUID("capture_command_id"), row.getUUID("void_command_id"), row.getInteger("attempts"),
                deadline == null ? null : deadline.toInstant(), fromJson(row.getString("items"), ITEMS),
                fromJson(row.getString("steps"), LOG), row.getLong("version"),
                row.getOffsetDateTime("created_at").toInstant(), row.getOffsetDateTime("updated_at").toInstant());
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value, e);
        }
    }

    private <T> T fromJson(String value, TypeReference<T> type) {
        try {
            return json.readValue(value, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable order column: " + value, e);
        }
    }
}
