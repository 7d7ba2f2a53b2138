package dev.corebank.order.product;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The SQL of {@code products}. */
@Singleton
public class ProductRepository {

    /** Most units one product may have in stock (the column is an integer; this leaves room for any order). */
    public static final int MAX_STOCK = 1_000_000_000;

    private static final String COLUMNS = "id, sku, name, price, currency, stock, reserved, merchant_account_id, version, created_at";

    private static final String INSERT = "INSERT INTO products (id, sku, name, price, currency, stock, merchant_account_id)"
            + " VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (sku) DO NOTHING RETURNING " + COLUMNS;

    private static final String FIND_BY_SKU = "SELECT " + COLUMNS + " FROM products WHERE sku = $1";

    private static final String FIND_BY_SKUS = "SELECT " + COLUMNS + " FROM products WHERE sku = ANY($1)";

    // Ascending ids: every transaction that locks several products takes them in the same order, so two
    // never wait for each other in a cycle.
    private static final String LOCK = "SELECT " + COLUMNS + " FROM products WHERE id = ANY($1) ORDER BY id FOR UPDATE";

    private static final String RESTOCK = "UPDATE products SET stock = stock + $2::int, version = version + 1"
            + " WHERE sku = $1 AND stock <= $3::int - $2::int RETURNING " + COLUMNS;

    // Only after LOCK in the same transaction; the CHECKs on the table still stop any oversell.
    private static final String MOVE = """
            UPDATE products p
            SET stock = p.stock + d.stock, reserved = p.reserved + d.reserved, version = p.version + 1
            FROM unnest($1::uuid[], $2::int[], $3::int[]) AS d(id, stock, reserved)
            WHERE p.id = d.id""";

    /** The new product, or empty if its SKU is taken. */
    public Uni<Optional<Product>> insert(SqlClient client, Product product) {
        return client.preparedQuery(INSERT)
                .execute(Tuple.from(List.of(product.id(), product.sku(), product.name(), product.price(),
                        product.currency(), product.stock(), product.merchantAccountId())))
                .map(ProductRepository::first);
    }

    public Uni<Optional<Product>> find(SqlClient client, String sku) {
        return client.preparedQuery(FIND_BY_SKU).execute(Tuple.of(sku)).map(ProductRepository::first);
    }

    /** The products among {@code skus}, by SKU; unknown SKUs are missing from the map. */
    public Uni<Map<String, Product>> find(SqlClient client, Collection<String> skus) {
        return client.preparedQuery(FIND_BY_SKUS)
                .execute(Tuple.of(skus.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, Product> found = new HashMap<>();
                    rows.forEach(row -> found.put(row.getString("sku"), from(row)));
                    return found;
                });
    }

    /** Locks the products in id order and gives them as they are now, by id. */
    public Uni<Map<UUID, Product>> lock(SqlConnection tx, Collection<UUID> ids) {
        return tx.preparedQuery(LOCK)
                .execute(Tuple.of(ids.toArray(UUID[]::new)))
                .map(rows -> {
                    Map<UUID, Product> locked = new HashMap<>();
                    rows.forEach(row -> locked.put(row.getUUID("id"), from(row)));
                    return locked;
                });
    }

    /** Adds {@code quantity} units to the shelf; empty if the product is unknown or would pass {@link #MAX_STOCK}. */
    public Uni<Optional<Product>> restock(SqlClient client, String sku, int quantity) {
        return client.preparedQuery(RESTOCK)
                .execute(Tuple.of(sku, quantity, MAX_STOCK))
                .map(ProductRepository::first);
    }

    /** Applies per-product changes of {@code stock} and {@code reserved} to products this transaction locked. */
    public Uni<Void> move(SqlConnection tx, Map<UUID, StockDelta> deltas) {
        if (deltas.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<UUID> ids = new ArrayList<>(deltas.keySet());
        Integer[] stock = new Integer[ids.size()];
        Integer[] reserved = new Integer[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            StockDelta delta = deltas.get(ids.get(i));
            stock[i] = delta.stock();
            reserved[i] = delta.reserved();
        }
        return tx.preparedQuery(MOVE)
                .execute(Tuple.of(ids.toArray(UUID[]::new), stock, reserved))
                .replaceWithVoid();
    }

    private static Optional<Product> first(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(from(rows.iterator().next()));
    }

    static Product from(Row row) {
        return new Product(row.getUUID("id"), row.getString("sku"), row.getString("name"), row.getLong("price"),
                row.getString("currency"), row.getInteger("stock"), row.getInteger("reserved"),
                row.getUUID("merchant_account_id"), row.getLong("version"),
                row.getOffsetDateTime("created_at").toInstant());
    }
}
