package dev.corebank.order;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The products and orders API as the tests use it, plus counts straight from the service's database. */
final class Orders {

    private Orders() {
    }

    /** A fresh SKU, unique to this call. */
    static String sku(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Response createProduct(String sku, long price, int stock, UUID merchant) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("sku", sku, "name", "Product " + sku, "price", price, "currency", "EUR", "stock", stock,
                        "merchantAccountId", merchant.toString()))
                .post("/products");
    }

    static String product(long price, int stock, UUID merchant) {
        String sku = sku("p");
        Response created = createProduct(sku, price, stock, merchant);
        if (created.statusCode() != 201) {
            throw new AssertionError("could not create product: " + created.statusCode() + " " + created.asString());
        }
        return sku;
    }

    /** POST /orders for one unit each of {@code skus}. */
    static Response place(String key, UUID customer, String... skus) {
        return place(key, customer, Arrays.stream(skus).map(sku -> Map.<String, Object>of("sku", sku, "quantity", 1))
                .toList(), null);
    }

    static Response place(String key, UUID customer, List<Map<String, Object>> items, String prefer) {
        var request = given().contentType(ContentType.JSON).header("Idempotency-Key", key);
        if (prefer != null) {
            request.header("Prefer", prefer);
        }
        return request.body(Map.of("customerAccountId", customer.toString(), "items", items)).post("/orders");
    }

    static Response get(String id) {
        return given().get("/orders/{id}", id);
    }

    /** Waits until the order is CONFIRMED or CANCELLED (read from PostgreSQL) and returns it. */
    static Response awaitFinal(String id, Duration within) {
        Response[] last = new Response[1];
        await().alias("order " + id + " CONFIRMED or CANCELLED")
                .atMost(within)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    last[0] = given().queryParam("minVersion", Long.MAX_VALUE).get("/orders/{id}", id);
                    String status = last[0].jsonPath().getString("status");
                    return "CONFIRMED".equals(status) || "CANCELLED".equals(status);
                });
        return last[0];
    }

    static int stock(String sku) {
        return given().get("/products/{sku}", sku).jsonPath().getInt("stock");
    }

    static int reserved(String sku) {
        return given().get("/products/{sku}", sku).jsonPath().getInt("reserved");
    }

    static long count(Pool pool, String sql, Object... params) {
        return pool.preparedQuery(sql).execute(Tuple.from(params))
                .await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong(0);
    }
}
