package dev.corebank.order;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corebank.outbox.CloudEvents;
import dev.corebank.testing.LiveLedger;
import dev.corebank.testing.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Orders through the real ledger, relay and broker: confirmed, cancelled, and many at once on scarce stock. */
@QuarkusTest
class OrderFlowTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration FINISH = Duration.ofSeconds(60);

    @Inject
    Pool pool;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "corebank.orders.topics.order-events")
    String orderEvents;

    private static LiveLedger ledger;

    @BeforeAll
    static void ledger() {
        ledger = OrderLedger.get();
    }

    @Test
    void an_order_confirms_moves_the_money_to_the_merchant_and_takes_the_stock() throws Exception {
        UUID merchant = ledger.openAccount("EUR", 0);
        UUID customer = ledger.openAccount("EUR", 10_000);
        String mug = Orders.product(1_250, 5, merchant);
        String tea = Orders.product(300, 5, merchant);

        Response accepted = Orders.place(UUID.randomUUID().toString(), customer, List.of(
                Map.of("sku", mug, "quantity", 2), Map.of("sku", tea, "quantity", 3)), null);
        assertEquals(202, accepted.statusCode(), accepted.asString());
        assertEquals("PENDING", accepted.jsonPath().getString("status"));
        String id = accepted.jsonPath().getString("id");
        assertEquals("/orders/" + id, java.net.URI.create(accepted.header("Location")).getPath());
        assertEquals(3_400, accepted.jsonPath().getLong("total"));

        Response done = Orders.awaitFinal(id, FINISH);
        assertEquals("CONFIRMED", done.jsonPath().getString("status"), done.asString());
        assertEquals(List.of("RESERVE_STOCK", "PLACE_HOLD", "PLACE_HOLD", "CONFIRM_STOCK", "CAPTURE_HOLD", "CAPTURE_HOLD"),
                done.jsonPath().getList("steps.name"));
        assertEquals(6_600, ledger.balance(customer));
        assertEquals(6_600, ledger.available(customer), "no hold left behind");
        assertEquals(3_400, ledger.balance(merchant));
        assertEquals(3, Orders.stock(mug));
        assertEquals(2, Orders.stock(tea));
        assertEquals(0, Orders.reserved(mug));

        ConsumerRecord<String, String> event = TopicReader.readKey(bootstrap, orderEvents, id, Duration.ofSeconds(30)).get(0);
        assertEquals("OrderConfirmed", TopicReader.header(event, CloudEvents.TYPE));
        JsonNode payload = JSON.readTree(event.value());
        assertEquals(3_400, payload.get("total").asLong());
        assertEquals(merchant.toString(), payload.get("merchantAccountId").asText());
    }

    @Test
    void a_customer_who_cannot_pay_gets_a_cancelled_order_and_the_stock_goes_back() throws Exception {
        UUID merchant = ledger.openAccount("EUR", 0);
        UUID customer = ledger.openAccount("EUR", 100);
        String sku = Orders.product(1_000, 3, merchant);

        Response done = Orders.awaitFinal(Orders.place(UUID.randomUUID().toString(), customer, sku).jsonPath().getString("id"),
                FINISH);

        assertEquals("CANCELLED", done.jsonPath().getString("status"));
        assertEquals("INSUFFICIENT_FUNDS", done.jsonPath().getString("reason"));
        assertEquals(3, Orders.stock(sku));
        assertEquals(0, Orders.reserved(sku));
        assertEquals(100, ledger.balance(customer));
        assertEquals(0, ledger.balance(merchant));
    }

    @Test
    void an_order_beyond_the_stock_is_cancelled_at_once_and_touches_no_money() throws Exception {
        UUID merchant = ledger.openAccount("EUR", 0);
        UUID customer = ledger.openAccount("EUR", 10_000);
        String sku = Orders.product(100, 1, merchant);

        Response answer = Orders.place(UUID.randomUUID().toString(), customer, List.of(Map.of("sku", sku, "quantity", 2)), null);

        assertEquals(200, answer.statusCode(), "final already: " + answer.asString());
        assertEquals("CANCELLED", answer.jsonPath().getString("status"));
        assertEquals("OUT_OF_STOCK", answer.jsonPath().getString("reason"));
        assertEquals(1, Orders.stock(sku));
        assertEquals(0, Orders.count(pool, "SELECT count(*) FROM outbox WHERE topic LIKE 'ledger.commands%' AND aggregate_id = $1",
                customer.toString()), "no ledger command");
        assertEquals(10_000, ledger.available(customer));
    }

    @Test
    void prefer_wait_answers_with_the_outcome_and_reads_see_at_least_that_version() throws Exception {
        UUID merchant = ledger.openAccount("EUR", 0);
        UUID customer = ledger.openAccount("EUR", 1_000);
        String sku = Orders.product(400, 2, merchant);

        Response answer = Orders.place(UUID.randomUUID().toString(), customer, List.of(Map.of("sku", sku, "quantity", 1)),
                "wait=20");

        assertEquals(200, answer.statusCode(), answer.asString());
        assertEquals("CONFIRMED", answer.jsonPath().getString("status"));
        assertEquals("wait=20", answer.header("Preference-Applied"));
        String version = answer.jsonPath().getString("version");
        assertEquals("\"" + version + "\"", answer.header("ETag"));
        Response read = given().queryParam("minVersion", version).get("/orders/{id}", answer.jsonPath().getString("id"));
        assertEquals(200, read.statusCode());
        assertEquals("CONFIRMED", read.jsonPath().getString("status"));
    }

    @Test
    void fifty_concurrent_orders_for_ten_units_never_oversell_and_money_and_stock_agree() throws Exception {
        UUID merchant = ledger.openAccount("EUR", 0);
        String sku = Orders.product(700, 10, merchant);
        // 30 customers can pay for one unit, 20 cannot.
        List<UUID> customers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            customers.add(ledger.openAccount("EUR", i % 5 < 3 ? 1_000 : 500));
        }

        ExecutorService pool50 = Executors.newFixedThreadPool(50);
        List<Future<Response>> answers = new ArrayList<>();
        try {
            for (UUID customer : customers) {
                Callable<Response> order = () -> Orders.place(UUID.randomUUID().toString(), customer, sku);
                answers.add(pool50.submit(order));
            }
            List<Response> finished = new ArrayList<>();
            for (Future<Response> answer : answers) {
                Response accepted = answer.get();
                assertTrue(accepted.statusCode() == 202 || accepted.statusCode() == 200, accepted.asString());
                finished.add(Orders.awaitFinal(accepted.jsonPath().getString("id"), FINISH));
            }

            long confirmed = finished.stream().filter(o -> "CONFIRMED".equals(o.jsonPath().getString("status"))).count();
            assertTrue(confirmed <= 10, "oversold: " + confirmed + " confirmed for 10 units");
            assertTrue(confirmed > 0, "some customers could pay and there was stock");
            assertEquals(10, Orders.stock(sku) + confirmed, "stock + confirmed units = initial stock");
            assertEquals(0, Orders.reserved(sku), "no reservation left behind");
            assertEquals(confirmed * 700, ledger.balance(merchant), "each confirmed order's money is the merchant's");
            for (int i = 0; i < customers.size(); i++) {
                UUID customer = customers.get(i);
                Response order = finished.get(i);
                long funds = i % 5 < 3 ? 1_000 : 500;
                String status = order.jsonPath().getString("status");
                assertNotNull(status);
                long expected = "CONFIRMED".equals(status) ? funds - 700 : funds;
                assertEquals(expected, ledger.balance(customer), "customer " + i + " (" + status + ")");
                assertEquals(expected, ledger.available(customer), "customer " + i + ": no hold left (" + status + ")");
                if ("CANCELLED".equals(status)) {
                    String reason = order.jsonPath().getString("reason");
                    assertTrue(List.of("OUT_OF_STOCK", "INSUFFICIENT_FUNDS").contains(reason), reason);
                }
            }
        } finally {
            pool50.shutdownNow();
        }
    }
}
