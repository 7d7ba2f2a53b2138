package dev.corebank.order;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corebank.testing.LiveLedger;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ledger away: overdue steps are re-sent, then compensated, then FAILED for operators; and sagas caught
 * mid-flight by a crash of the ledger all finish with money and stock in agreement. In tests a step waits
 * 1 s, doubling to at most 2 s; two re-sends before compensating, three re-sends of the compensation.
 */
@QuarkusTest
class LedgerOutageTest {

    private static LiveLedger ledger;

    @BeforeAll
    static void ledger() {
        ledger = OrderLedger.get();
    }

    @Test
    void an_unanswered_hold_is_resent_then_compensated_then_failed_and_an_operator_retry_finishes_it() throws Exception {
        UUID merchant = ledger.openAccount("EUR", 0);
        UUID customer = ledger.openAccount("EUR", 5_000);
        String sku = Orders.product(1_200, 4, merchant);
        double resentBefore = steps("PLACE_HOLD", "RESENT");
        double voidResentBefore = steps("VOID_HOLD", "RESENT");
        double failedBefore = steps("VOID_HOLD", "FAILED");
        String id;
        ledger.kill();
        try {
            Response accepted = Orders.place(UUID.randomUUID().toString(), customer, sku);
            assertEquals(202, accepted.statusCode(), accepted.asString());
            id = accepted.jsonPath().getString("id");

            Response failed = awaitStatus(id, "FAILED", Duration.ofSeconds(40));
            assertEquals(List.of("RESERVE_STOCK DONE", "PLACE_HOLD SENT", "PLACE_HOLD RESENT", "PLACE_HOLD RESENT",
                    "PLACE_HOLD TIMED_OUT", "VOID_HOLD SENT", "VOID_HOLD RESENT", "VOID_HOLD RESENT", "VOID_HOLD RESENT",
                    "VOID_HOLD FAILED"), log(failed));
            assertEquals("LEDGER_TIMEOUT", failed.jsonPath().getString("reason"));
            assertEquals(1, Orders.reserved(sku), "the stock stays reserved until the ledger has spoken");
            assertTrue(steps("PLACE_HOLD", "RESENT") >= resentBefore + 2, "re-sends are counted");
            assertTrue(steps("VOID_HOLD", "RESENT") >= voidResentBefore + 3, "per command");
            // Each wait doubles from step-timeout (1 s) to max-backoff (2 s): the re-sends spread out, then keep
            // the capped pace, and stop at their bound. Lower bounds are the waits themselves; the sweeper
            // (every second) may add to each.
            List<Duration> placeWaits = gaps(failed, 1, 4);
            assertTrue(placeWaits.get(0).compareTo(Duration.ofSeconds(1)) >= 0, "first wait " + placeWaits);
            assertTrue(placeWaits.get(1).compareTo(Duration.ofSeconds(2)) >= 0, "doubled " + placeWaits);
            assertTrue(placeWaits.get(2).compareTo(Duration.ofSeconds(2)) >= 0, "capped " + placeWaits);
            List<Duration> voidWaits = gaps(failed, 5, 9);
            Duration compensating = voidWaits.stream().reduce(Duration.ZERO, Duration::plus);
            // Uncapped, the four waits would be 1 + 2 + 4 + 8 = 15 s; capped they are 1 + 2 + 2 + 2 = 7 s.
            assertTrue(compensating.compareTo(Duration.ofSeconds(7)) >= 0
                    && compensating.compareTo(Duration.ofSeconds(14)) < 0, "waits capped at 2 s: " + voidWaits);
            assertTrue(steps("VOID_HOLD", "FAILED") >= failedBefore + 1, "failed sagas are counted");

            List<String> listed = given().queryParam("status", "FAILED").get("/admin/sagas").jsonPath().getList("sagas.orderId");
            assertTrue(listed.contains(id), "listed for operators: " + listed);
            Response retried = given().post("/admin/sagas/{id}/retry", id);
            assertEquals(202, retried.statusCode(), retried.asString());
            assertEquals("PENDING", retried.jsonPath().getString("status"));
            assertEquals("COMPENSATING", retried.jsonPath().getString("step"));
        } finally {
            ledger.restart();
        }

        Response done = Orders.awaitFinal(id, Duration.ofSeconds(60));
        assertEquals("CANCELLED", done.jsonPath().getString("status"), done.asString());
        assertEquals("LEDGER_TIMEOUT", done.jsonPath().getString("reason"));
        assertEquals(4, Orders.stock(sku));
        assertEquals(0, Orders.reserved(sku));
        awaitAvailable(customer, 5_000);
        assertEquals(5_000, ledger.balance(customer), "the hold the ledger placed late was voided");
        assertEquals(0, ledger.balance(merchant));
    }

    @Test
    void sagas_caught_by_a_ledger_crash_all_finish_and_money_and_stock_agree() throws Exception {
        UUID merchant = ledger.openAccount("EUR", 0);
        int initial = 100;
        String sku = Orders.product(300, initial, merchant);
        List<UUID> customers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            customers.add(ledger.openAccount("EUR", 1_000));
        }

        List<CompletableFuture<Response>> placing = new ArrayList<>();
        for (UUID customer : customers) {
            placing.add(CompletableFuture.supplyAsync(() -> Orders.place(UUID.randomUUID().toString(), customer, sku)));
        }
        // Killed while the first answers arrive: some orders are done, some half-way, some not yet seen.
        Thread.sleep(300);
        ledger.kill();
        List<String> ids = new ArrayList<>();
        try {
            for (CompletableFuture<Response> placed : placing) {
                Response accepted = placed.get();
                assertEquals(202, accepted.statusCode(), accepted.asString());
                ids.add(accepted.jsonPath().getString("id"));
            }
            Thread.sleep(3_000);
        } finally {
            ledger.restart();
        }

        long confirmed = 0;
        for (int i = 0; i < ids.size(); i++) {
            Response done = Orders.awaitFinal(ids.get(i), Duration.ofSeconds(90));
            boolean isConfirmed = "CONFIRMED".equals(done.jsonPath().getString("status"));
            confirmed += isConfirmed ? 1 : 0;
            UUID customer = customers.get(i);
            long expected = isConfirmed ? 700 : 1_000;
            awaitAvailable(customer, expected);
            assertEquals(expected, ledger.balance(customer), "order " + ids.get(i) + " " + done.asString());
        }
        assertEquals(initial, Orders.stock(sku) + confirmed, "stock + confirmed units = initial stock");
        assertEquals(0, Orders.reserved(sku));
        assertEquals(confirmed * 300, ledger.balance(merchant));
    }

    private static Response awaitStatus(String id, String status, Duration within) {
        Response[] last = new Response[1];
        await().alias("order " + id + " " + status).atMost(within).pollInterval(Duration.ofMillis(250)).until(() -> {
            last[0] = given().queryParam("minVersion", Long.MAX_VALUE).get("/orders/{id}", id);
            return status.equals(last[0].jsonPath().getString("status"));
        });
        return last[0];
    }

    /** Holds resolve when the ledger's commands are applied, which may trail the order's own outcome by a poll. */
    private static void awaitAvailable(UUID account, long expected) {
        await().alias("account " + account + " has " + expected + " available")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> ledger.available(account) == expected);
    }

    /** The times between consecutive saga-log entries {@code from}..{@code to} (indexes, inclusive). */
    private static List<Duration> gaps(Response order, int from, int to) {
        List<String> at = order.jsonPath().getList("steps.at");
        List<Duration> gaps = new ArrayList<>();
        for (int i = from + 1; i <= to; i++) {
            gaps.add(Duration.between(Instant.parse(at.get(i - 1)), Instant.parse(at.get(i))));
        }
        return gaps;
    }

    private static List<String> log(Response order) {
        List<String> names = order.jsonPath().getList("steps.name");
        List<String> statuses = order.jsonPath().getList("steps.status");
        List<String> log = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            log.add(names.get(i) + " " + statuses.get(i));
        }
        return log;
    }

    private static double steps(String step, String status) {
        String prefix = "orders_saga_steps_total{";
        return given().get("/q/metrics").asString().lines()
                .filter(line -> line.startsWith(prefix) && line.contains("step=\"" + step + "\"")
                        && line.contains("status=\"" + status + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
