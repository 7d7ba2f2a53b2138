package dev.corebank.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the three databases say about one fixture's accounts, transfers and orders, read as the operator would
 * (psql as {@code postgres} on the machine's PostgreSQL): the ledger's rows, the transfers, the orders and stock.
 * Read once the load has stopped and settled, so the three reads describe one state.
 */
record Books(Map<UUID, Account> accounts, Map<UUID, Long> journalSums, List<LedgerMovement> movements,
        List<Hold> holds, List<Transfer> transfers, List<Order> orders, Map<String, Product> products) {

    record Account(UUID id, long balance, long held, long version, Instant updatedAt) {
    }

    /** A movement other than a deposit that touched the fixture: its kind, amount and how many journal lines. */
    record LedgerMovement(UUID id, String kind, long amount, int lines) {
    }

    record Hold(UUID id, String status, Long capturedAmount) {
    }

    record Transfer(UUID id, UUID from, UUID to, long amount, String status, Instant completedAt) {
    }

    record Line(String sku, int quantity, long price) {
    }

    record Order(UUID id, UUID customer, UUID merchant, long total, String status, UUID holdId, UUID captureCommandId,
            List<Line> items, long version, Instant updatedAt) {
    }

    record Product(String sku, int stock, int reserved, long price, UUID merchant) {
    }

    private static final String ACCOUNTS = "SELECT id, balance, held, version, updated_at FROM accounts WHERE id = ANY(?)";
    private static final String JOURNAL_SUMS =
            "SELECT account_id, sum(amount) FROM journal_entries WHERE account_id = ANY(?) GROUP BY account_id";
    private static final String MOVEMENTS = """
            SELECT movement_id, kind, max(abs(amount)), count(*) FROM journal_entries
            WHERE account_id = ANY(?) AND kind <> 'DEPOSIT' GROUP BY movement_id, kind""";
    private static final String HOLDS = "SELECT id, status, captured_amount FROM holds WHERE account_id = ANY(?)";
    private static final String TRANSFERS =
            "SELECT id, from_account_id, to_account_id, amount, status, completed_at FROM transfers WHERE from_account_id = ANY(?)";
    private static final String ORDERS = """
            SELECT id, customer_account_id, merchant_account_id, total, status, hold_id, capture_command_id, items,
                   version, updated_at
            FROM orders WHERE customer_account_id = ANY(?)""";
    private static final String PRODUCTS =
            "SELECT sku, stock, reserved, price, merchant_account_id FROM products WHERE sku = ANY(?)";

    static Books read(Fixture fixture) throws SQLException {
        UUID[] accountIds = fixture.accounts().toArray(UUID[]::new);
        UUID[] customerIds = fixture.customers().toArray(UUID[]::new);
        String[] skus = fixture.products().stream().map(Fixture.Product::sku).toArray(String[]::new);
        Map<UUID, Account> accounts = new HashMap<>();
        Map<UUID, Long> journalSums = new HashMap<>();
        List<LedgerMovement> movements = new ArrayList<>();
        List<Hold> holds = new ArrayList<>();
        try (Connection db = connect("accounts")) {
            query(db, ACCOUNTS, uuids(db, accountIds), row -> accounts.put(uuid(row, 1), new Account(uuid(row, 1),
                    row.getLong(2), row.getLong(3), row.getLong(4), row.getTimestamp(5).toInstant())));
            query(db, JOURNAL_SUMS, uuids(db, accountIds), row -> journalSums.put(uuid(row, 1), row.getLong(2)));
            query(db, MOVEMENTS, uuids(db, accountIds), row -> movements.add(new LedgerMovement(uuid(row, 1),
                    row.getString(2), row.getLong(3), row.getInt(4))));
            query(db, HOLDS, uuids(db, customerIds), row -> holds.add(new Hold(uuid(row, 1), row.getString(2),
                    (Long) row.getObject(3))));
        }
        List<Transfer> transfers = new ArrayList<>();
        try (Connection db = connect("transfers")) {
            query(db, TRANSFERS, uuids(db, customerIds), row -> transfers.add(new Transfer(uuid(row, 1), uuid(row, 2),
                    uuid(row, 3), row.getLong(4), row.getString(5),
                    row.getTimestamp(6) == null ? null : row.getTimestamp(6).toInstant())));
        }
        List<Order> orders = new ArrayList<>();
        Map<String, Product> products = new HashMap<>();
        try (Connection db = connect("orders")) {
            query(db, ORDERS, uuids(db, customerIds), row -> orders.add(new Order(uuid(row, 1), uuid(row, 2),
                    uuid(row, 3), row.getLong(4), row.getString(5), uuid(row, 6), uuid(row, 7), lines(row.getString(8)),
                    row.getLong(9), row.getTimestamp(10).toInstant())));
            query(db, PRODUCTS, db.createArrayOf("text", skus), row -> products.put(row.getString(1), new Product(
                    row.getString(1), row.getInt(2), row.getInt(3), row.getLong(4), uuid(row, 5))));
        }
        return new Books(accounts, journalSums, movements, holds, transfers, orders, products);
    }

    /** The current balance and version of {@code ids}, re-read while waiting for a read model to catch up. */
    static Map<UUID, Account> accounts(List<UUID> ids) throws SQLException {
        Map<UUID, Account> accounts = new HashMap<>();
        try (Connection db = connect("accounts")) {
            query(db, ACCOUNTS, uuids(db, ids.toArray(UUID[]::new)), row -> accounts.put(uuid(row, 1), new Account(
                    uuid(row, 1), row.getLong(2), row.getLong(3), row.getLong(4), row.getTimestamp(5).toInstant())));
        }
        return accounts;
    }

    private interface RowReader {
        void read(ResultSet row) throws SQLException;
    }

    private static Connection connect(String database) throws SQLException {
        Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + database + "?connectTimeout=10",
                System.getProperty("chaos.db.user", "postgres"), "");
        db.setReadOnly(true);
        return db;
    }

    private static void query(Connection db, String sql, Array parameter, RowReader reader) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setQueryTimeout(60);
            statement.setArray(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    reader.read(rows);
                }
            }
        }
    }

    private static Array uuids(Connection db, UUID[] ids) throws SQLException {
        return db.createArrayOf("uuid", ids);
    }

    private static UUID uuid(ResultSet row, int column) throws SQLException {
        return (UUID) row.getObject(column);
    }

    private static List<Line> lines(String items) {
        List<Line> lines = new ArrayList<>();
        try {
            for (JsonNode item : Http.JSON.readTree(items)) {
                lines.add(new Line(item.path("sku").asText(), item.path("quantity").asInt(), item.path("price").asLong()));
            }
        } catch (IOException e) {
            throw new IllegalStateException("an order's items are not JSON: " + items, e);
        }
        return lines;
    }
}
