package dev.corebank.order;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corebank.testing.LiveLedger;
import dev.corebank.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Who may order from, and read the orders of, an account, and who manages a merchant's products, with the
 * real ledger deciding ownership: alice owns the paying account, the shop owns the merchant account, bob
 * owns neither. A refusal is problem+json and writes nothing: no order, no product, no stock moved.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityTest {

    @Inject
    Pool pool;

    private final String alice = "alice-" + UUID.randomUUID();
    private final String shop = "shop-" + UUID.randomUUID();
    private final String bob = "bob-" + UUID.randomUUID();
    private UUID alicesAccount;
    private UUID shopsAccount;
    private String sku;
    private String orderId;

    /** Once per class, but per test: RestAssured knows the app's port only from the first test on. */
    @BeforeEach
    void aliceHasOrderedFromTheShop() throws Exception {
        if (orderId != null) {
            return;
        }
        LiveLedger ledger = OrderLedger.get();
        alicesAccount = ledger.openAccount(alice, "EUR", 100_000);
        shopsAccount = ledger.openAccount(shop, "EUR", 0);
        sku = Orders.product(100, 1_000, shopsAccount);
        Response placed = order(as("alice"));
        assertTrue(placed.statusCode() == 202 || placed.statusCode() == 200, placed.asString());
        orderId = placed.jsonPath().getString("id");
    }

    @ParameterizedTest(name = "{0} {1} as {2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            POST | /orders                   | nobody   | 401
            POST | /orders                   | alice    | 202
            POST | /orders                   | bob      | 404
            POST | /orders                   | shop     | 404
            POST | /orders                   | teller   | 202
            POST | /orders                   | operator | 403
            POST | /orders                   | service  | 403
            GET  | /orders/{order}           | nobody   | 401
            GET  | /orders/{order}           | alice    | 200
            GET  | /orders/{order}           | bob      | 404
            GET  | /orders/{order}           | teller   | 200
            GET  | /orders/{order}           | operator | 200
            GET  | /orders/{order}           | service  | 200
            POST | /products                 | nobody   | 401
            POST | /products                 | shop     | 201
            POST | /products                 | bob      | 404
            POST | /products                 | operator | 201
            POST | /products                 | teller   | 403
            POST | /products                 | service  | 403
            POST | /products/{sku}/restock   | nobody   | 401
            POST | /products/{sku}/restock   | shop     | 200
            POST | /products/{sku}/restock   | bob      | 404
            POST | /products/{sku}/restock   | alice    | 404
            POST | /products/{sku}/restock   | operator | 200
            POST | /products/{sku}/restock   | teller   | 403
            GET  | /products/{sku}           | nobody   | 401
            GET  | /products/{sku}           | bob      | 200
            GET  | /admin/sagas              | nobody   | 401
            GET  | /admin/sagas              | alice    | 403
            GET  | /admin/sagas              | teller   | 403
            GET  | /admin/sagas              | service  | 403
            GET  | /admin/sagas              | operator | 200
            POST | /admin/sagas/{order}/retry | alice   | 403
            POST | /admin/sagas/{order}/retry | teller  | 403
            """)
    void every_endpoint_answers_each_caller_as_its_role_and_ownership_allow(String method, String path, String caller,
            int expected) {
        long ordersBefore = count("SELECT count(*) FROM orders");
        long productsBefore = count("SELECT count(*) FROM products");
        int availableBefore = available();

        Response answer;
        if (path.equals("/orders") && method.equals("POST")) {
            answer = order(as(caller));
        } else if (path.equals("/products")) {
            answer = as(caller).contentType("application/json").body(Map.of("sku", Orders.sku("sec"), "name", "Widget",
                    "price", 100, "currency", "EUR", "stock", 5, "merchantAccountId", shopsAccount.toString()))
                    .post("/products");
        } else {
            String concrete = path.replace("{order}", orderId).replace("{sku}", sku);
            RequestSpecification request = as(caller).contentType("application/json");
            answer = method.equals("POST") ? request.body(Map.of("quantity", 1)).post(concrete) : request.get(concrete);
        }

        assertEquals(expected, answer.statusCode(), answer.asString());
        if (expected >= 400) {
            assertTrue(answer.contentType().startsWith("application/problem+json"), answer.contentType());
            assertEquals(ordersBefore, count("SELECT count(*) FROM orders"), "no order written");
            assertEquals(productsBefore, count("SELECT count(*) FROM products"), "no product written");
            assertEquals(availableBefore, available(), "no stock reserved or restocked");
        }
    }

    private Response order(RequestSpecification request) {
        return request.contentType("application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("customerAccountId", alicesAccount.toString(), "items", List.of(Map.of("sku", sku, "quantity", 1))))
                .post("/orders");
    }

    /** Stock less reservations, read at once: an earlier order confirming meanwhile does not change it. */
    private int available() {
        return given().get("/products/{sku}", sku).then().statusCode(200).extract().path("available");
    }

    private long count(String sql) {
        return Orders.count(pool, sql);
    }

    private RequestSpecification as(String caller) {
        String token = switch (caller) {
            case "nobody" -> null;
            case "alice" -> Tokens.mint(alice, "customer");
            case "shop" -> Tokens.mint(shop, "customer");
            case "bob" -> Tokens.mint(bob, "customer");
            case "teller" -> Tokens.mint("teller-1", "teller");
            case "operator" -> Tokens.mint("ops-1", "operator");
            case "service" -> Tokens.mint("transfer-service", "service");
            default -> throw new IllegalArgumentException(caller);
        };
        return given().header("Authorization", token == null ? Tokens.NONE : Tokens.bearer(token));
    }
}
