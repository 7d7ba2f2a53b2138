package dev.corebank.order;

import dev.corebank.testing.BadInputContract.Case;
import dev.corebank.testing.BadInputContract;
import dev.corebank.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/**
 * A corpus of bad requests to the products, orders and operator APIs: each gets a 4xx
 * {@code application/problem+json} and writes nothing: no product, order, key or outbox row, no stock moved.
 */
@QuarkusTest
class BadInputTest {

    private static final String JSON = "application/json";

    @Inject
    Pool pool;

    private final UUID customer = UUID.randomUUID();
    private final UUID merchant = UUID.randomUUID();

    @TestFactory
    Stream<DynamicTest> every_bad_request_is_a_4xx_problem_and_writes_nothing() {
        String sku = Orders.product(250, 10, merchant);
        String otherMerchant = Orders.product(250, 10, UUID.randomUUID());
        String dollars = Orders.sku("usd");
        given().contentType(JSON).body(Map.of("sku", dollars, "name", "Dollar thing", "price", 100, "currency", "USD",
                "stock", 5, "merchantAccountId", merchant.toString())).post("/products").then().statusCode(201);
        String pricey = Orders.product(1_000_000_000_000L, 10, merchant);
        String full = Orders.product(1, 1_000_000_000, merchant);
        // A finished order (out of stock at once: no ledger needed) that an operator cannot retry.
        String finished = order(key(), orderBody(sku, 11)).jsonPath().getString("id");
        String valid = orderBody(sku, 1);
        // Sagas other tests left running would write between a case's two snapshots.
        await().alias("no saga of an earlier test still running")
                .atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> Orders.count(pool, "SELECT count(*) FROM orders WHERE status = 'PENDING'") == 0);

        List<Case> corpus = new ArrayList<>();
        // POST /orders: headers
        corpus.add(new Case("missing Idempotency-Key", 400, () -> given().contentType(JSON).body(valid).post("/orders")));
        corpus.add(new Case("empty Idempotency-Key", 400, () -> order("", valid)));
        corpus.add(new Case("Idempotency-Key too long", 400, () -> order("k".repeat(256), valid)));
        corpus.add(new Case("Idempotency-Key not ASCII", 400, () -> order("clé", valid)));
        corpus.add(new Case("Prefer: wait not a number", 400, () -> order(key(), valid, "Prefer", "wait=soon")));
        corpus.add(new Case("no bearer token", 401, () -> order(key(), valid, "Authorization", Tokens.NONE)));
        corpus.add(new Case("expired token", 401, () -> order(key(), valid, "Authorization",
                Tokens.bearer(Tokens.expired("bad-input", "teller")))));
        corpus.add(new Case("role that places no orders", 403, () -> order(key(), valid, "Authorization",
                Tokens.bearer(Tokens.mint("bad-input", "operator")))));
        // POST /orders: the body as a whole
        corpus.add(new Case("empty body", 400, () -> order(key(), "")));
        corpus.add(new Case("JSON null", 400, () -> order(key(), "null")));
        corpus.add(new Case("malformed JSON", 400, () -> order(key(), "{\"customerAccountId\": ")));
        corpus.add(new Case("JSON array", 400, () -> order(key(), "[" + valid + "]")));
        corpus.add(new Case("unknown field", 400, () -> order(key(), valid.replace("}]", "}],\"status\":\"CONFIRMED\""))));
        corpus.add(new Case("wrong content type", 415, () -> given().header("Idempotency-Key", key()).contentType("text/plain")
                .body(valid).post("/orders")));
        corpus.add(new Case("oversize body", 413, () -> order(key(), orderBody("x".repeat(40_000), 1))));
        // POST /orders: fields
        corpus.add(new Case("missing customerAccountId", 400, () -> order(key(), "{\"items\":[{\"sku\":\"" + sku + "\",\"quantity\":1}]}")));
        corpus.add(new Case("malformed customerAccountId", 400, () -> order(key(), valid.replace(customer.toString(), "nope"))));
        corpus.add(new Case("missing items", 400, () -> order(key(), "{\"customerAccountId\":\"" + customer + "\"}")));
        corpus.add(new Case("no items", 400, () -> order(key(), "{\"customerAccountId\":\"" + customer + "\",\"items\":[]}")));
        corpus.add(new Case("51 items", 400, () -> order(key(), "{\"customerAccountId\":\"" + customer + "\",\"items\":["
                + IntStream.range(0, 51).mapToObj(i -> "{\"sku\":\"s" + i + "\",\"quantity\":1}").collect(Collectors.joining(","))
                + "]}")));
        corpus.add(new Case("a null item", 400, () -> order(key(), "{\"customerAccountId\":\"" + customer + "\",\"items\":[null]}")));
        corpus.add(new Case("item without sku", 400, () -> order(key(), "{\"customerAccountId\":\"" + customer
                + "\",\"items\":[{\"quantity\":1}]}")));
        corpus.add(new Case("sku with spaces", 400, () -> order(key(), orderBody("two words", 1))));
        corpus.add(new Case("sku too long", 400, () -> order(key(), orderBody("s".repeat(65), 1))));
        corpus.add(new Case("quantity zero", 400, () -> order(key(), orderBody(sku, 0))));
        corpus.add(new Case("quantity negative", 400, () -> order(key(), orderBody(sku, -1))));
        corpus.add(new Case("quantity over 10000", 400, () -> order(key(), orderBody(sku, 10_001))));
        corpus.add(new Case("fractional quantity", 400, () -> order(key(), valid.replace("\"quantity\":1", "\"quantity\":1.5"))));
        corpus.add(new Case("quantity as a string", 400, () -> order(key(), valid.replace("\"quantity\":1", "\"quantity\":\"1\""))));
        corpus.add(new Case("the same SKU twice", 400, () -> order(key(), "{\"customerAccountId\":\"" + customer
                + "\",\"items\":[{\"sku\":\"" + sku + "\",\"quantity\":1},{\"sku\":\"" + sku + "\",\"quantity\":2}]}")));
        corpus.add(new Case("unknown SKU", 422, () -> order(key(), orderBody("no-such-sku", 1))));
        corpus.add(new Case("two merchants", 422, () -> order(key(), "{\"customerAccountId\":\"" + customer
                + "\",\"items\":[{\"sku\":\"" + sku + "\",\"quantity\":1},{\"sku\":\"" + otherMerchant + "\",\"quantity\":1}]}")));
        corpus.add(new Case("two currencies", 422, () -> order(key(), "{\"customerAccountId\":\"" + customer
                + "\",\"items\":[{\"sku\":\"" + sku + "\",\"quantity\":1},{\"sku\":\"" + dollars + "\",\"quantity\":1}]}")));
        corpus.add(new Case("total over the ledger's maximum", 422, () -> order(key(), orderBody(pricey, 2))));
        // POST /products
        corpus.add(new Case("product without sku", 400, () -> product(Map.of("name", "n", "price", 1, "currency", "EUR",
                "stock", 1, "merchantAccountId", merchant.toString()))));
        corpus.add(new Case("product sku with a slash", 400, () -> product(productBody("a/b", "n", 1, "EUR", 1))));
        corpus.add(new Case("blank product name", 400, () -> product(productBody(Orders.sku("n"), "  ", 1, "EUR", 1))));
        corpus.add(new Case("product name with NUL", 400, () -> product(productBody(Orders.sku("n"), "a\u0000b", 1, "EUR", 1))));
        corpus.add(new Case("price zero", 400, () -> product(productBody(Orders.sku("n"), "n", 0, "EUR", 1))));
        corpus.add(new Case("price over the maximum", 400, () -> product(productBody(Orders.sku("n"), "n", 1_000_000_000_001L, "EUR", 1))));
        corpus.add(new Case("lower-case currency", 400, () -> product(productBody(Orders.sku("n"), "n", 1, "eur", 1))));
        corpus.add(new Case("unknown currency", 400, () -> product(productBody(Orders.sku("n"), "n", 1, "ZZZ", 1))));
        corpus.add(new Case("negative stock", 400, () -> product(productBody(Orders.sku("n"), "n", 1, "EUR", -1))));
        corpus.add(new Case("product without merchant", 400, () -> product(Map.of("sku", Orders.sku("n"), "name", "n",
                "price", 1, "currency", "EUR", "stock", 1))));
        corpus.add(new Case("SKU taken", 409, () -> product(productBody(sku, "again", 1, "EUR", 1))));
        // Restock
        corpus.add(new Case("restock zero", 400, () -> restock(sku, 0)));
        corpus.add(new Case("restock negative", 400, () -> restock(sku, -5)));
        corpus.add(new Case("restock unknown SKU", 404, () -> restock("no-such-sku", 1)));
        corpus.add(new Case("restock past the stock limit", 422, () -> restock(full, 1)));
        // Reads
        corpus.add(new Case("malformed order id", 400, () -> given().get("/orders/{id}", "12345")));
        corpus.add(new Case("unknown order", 404, () -> given().get("/orders/{id}", UUID.randomUUID())));
        corpus.add(new Case("negative minVersion", 400, () -> given().queryParam("minVersion", -1).get("/orders/{id}", finished)));
        corpus.add(new Case("unknown product", 404, () -> given().get("/products/{sku}", "no-such-sku")));
        // Operators
        corpus.add(new Case("sagas with a finished status", 400, () -> given().queryParam("status", "CONFIRMED").get("/admin/sagas")));
        corpus.add(new Case("stuckFor not a duration", 400, () -> given().queryParam("stuckFor", "5 minutes").get("/admin/sagas")));
        corpus.add(new Case("negative stuckFor", 400, () -> given().queryParam("stuckFor", "-PT5M").get("/admin/sagas")));
        corpus.add(new Case("limit zero", 400, () -> given().queryParam("limit", 0).get("/admin/sagas")));
        corpus.add(new Case("retry an unknown order", 404, () -> given().post("/admin/sagas/{id}/retry", UUID.randomUUID())));
        corpus.add(new Case("retry a malformed id", 400, () -> given().post("/admin/sagas/{id}/retry", "x")));
        corpus.add(new Case("retry a finished order", 409, () -> given().post("/admin/sagas/{id}/retry", finished)));
        corpus.add(new Case("wrong method", 405, () -> given().delete("/orders/{id}", finished)));

        return BadInputContract.check(corpus, this::snapshot);
    }

    private String orderBody(String sku, int quantity) {
        return "{\"customerAccountId\":\"" + customer + "\",\"items\":[{\"sku\":\"" + sku + "\",\"quantity\":" + quantity + "}]}";
    }

    private Map<String, Object> productBody(String sku, String name, long price, String currency, int stock) {
        return Map.of("sku", sku, "name", name, "price", price, "currency", currency, "stock", stock,
                "merchantAccountId", merchant.toString());
    }

    private static Response order(String key, String body, String... headers) {
        RequestSpecification request = given().contentType(JSON).header("Idempotency-Key", key);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return request.body(body).post("/orders");
    }

    private static Response product(Map<String, Object> body) {
        return given().contentType(JSON).body(body).post("/products");
    }

    private static Response restock(String sku, int quantity) {
        return given().contentType(JSON).body(Map.of("quantity", quantity)).post("/products/{sku}/restock", sku);
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }

    /** Every table a request could write, and the stock, as one comparable line. */
    private String snapshot() {
        Row row = pool.query("""
                        SELECT (SELECT count(*) FROM products) AS products,
                               (SELECT coalesce(sum(stock), 0) || '/' || coalesce(sum(reserved), 0) || '/'
                                       || coalesce(sum(version), 0) FROM products) AS stock,
                               (SELECT count(*) || '/' || coalesce(sum(version), 0) FROM orders) AS orders,
                               (SELECT count(*) FROM order_requests) AS keys,
                               (SELECT count(*) FROM outbox) AS outbox""")
                .execute().await().atMost(Duration.ofSeconds(10)).iterator().next();
        return "products=" + row.getLong("products") + " stock=" + row.getString("stock") + " orders="
                + row.getString("orders") + " keys=" + row.getLong("keys") + " outbox=" + row.getLong("outbox");
    }
}
