package dev.corebank.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corebank.testing.FreshDatabases;
import dev.corebank.testing.LiveLedger;
import dev.corebank.testing.LocalStack;
import dev.corebank.testing.LedgerClientProcess;
import dev.corebank.testing.RunId;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The orchestrator itself killed mid-saga: the packaged order-saga-service takes 20 orders, is killed -9
 * while their sagas run, and started again. Every saga finishes, and money and stock agree: the state, the
 * log and the outbox rows of each step committed together, so nothing a crash interrupts is half-done.
 */
class OrderServiceCrashIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PRICE = 300;
    private static final int INITIAL_STOCK = 100;

    @Test
    void sagas_in_flight_when_the_order_service_is_killed_all_finish_after_its_restart() throws Exception {
        LocalStack stack = LocalStack.fromEnvironment().orElseThrow(() -> new IllegalStateException(
                "this test needs the local stack's PostgreSQL, Redis and Kafka: run it with bin/stack test"));
        String run = "crash-" + RunId.VALUE;
        LedgerClientProcess.Names names = new LedgerClientProcess.Names("ledger.commands." + run, "ledger.events." + run,
                "order.events." + run, "order-saga-service-" + run);
        try (FreshDatabases databases = new FreshDatabases(stack)) {
            String orders = databases.create("orders", "order_svc", "outbox_relay");
            try (LiveLedger ledger = LiveLedger.start(new LiveLedger.Beside("orders", names.ledgerCommands(),
                            names.ledgerEvents(), run, stack.reactiveUrl(orders)));
                    LedgerClientProcess service = LedgerClientProcess.start(LedgerClientProcess.Service.ORDERS, stack,
                            orders, "order_svc", names, Map.of(
                                    "corebank.orders.saga.step-timeout", "PT1S",
                                    "corebank.orders.saga.max-backoff", "PT2S"),
                            Path.of("target", "crash-order-service.log"))) {
                UUID merchant = ledger.openAccount("EUR", 0);
                List<UUID> customers = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    customers.add(ledger.openAccount("EUR", 1_000));
                }
                String sku = "crash-" + UUID.randomUUID().toString().substring(0, 8);
                HttpResponse<String> product = service.post("/products", "{\"sku\":\"" + sku + "\",\"name\":\"Crash mug\","
                        + "\"price\":" + PRICE + ",\"currency\":\"EUR\",\"stock\":" + INITIAL_STOCK
                        + ",\"merchantAccountId\":\"" + merchant + "\"}", Map.of());
                assertEquals(201, product.statusCode(), product.body());

                List<CompletableFuture<String>> placing = new ArrayList<>();
                for (UUID customer : customers) {
                    placing.add(CompletableFuture.supplyAsync(() -> place(service, customer, sku)));
                }
                List<String> ids = new ArrayList<>();
                for (CompletableFuture<String> placed : placing) {
                    ids.add(placed.get());
                }
                // Killed while the ledger's first answers come back: some sagas have moved on, some not yet.
                Thread.sleep(400);
                service.kill9();
                Thread.sleep(2_000);
                service.restart();

                long confirmed = 0;
                for (int i = 0; i < ids.size(); i++) {
                    JsonNode order = awaitFinal(service, ids.get(i));
                    boolean isConfirmed = "CONFIRMED".equals(order.get("status").asText());
                    confirmed += isConfirmed ? 1 : 0;
                    long expected = isConfirmed ? 1_000 - PRICE : 1_000;
                    UUID customer = customers.get(i);
                    await().alias("customer " + i + " has " + expected + " available")
                            .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                            .until(() -> ledger.available(customer) == expected);
                    assertEquals(expected, ledger.balance(customer), "order " + order);
                }
                assertTrue(confirmed > 0, "customers could pay and there was stock");
                JsonNode shelf = JSON.readTree(service.get("/products/" + sku).body());
                assertEquals(INITIAL_STOCK, shelf.get("stock").asLong() + confirmed, "stock + confirmed units = initial stock");
                assertEquals(0, shelf.get("reserved").asLong());
                assertEquals(confirmed * PRICE, ledger.balance(merchant));
            }
        }
    }

    private static String place(LedgerClientProcess service, UUID customer, String sku) {
        try {
            HttpResponse<String> placed = service.post("/orders", "{\"customerAccountId\":\"" + customer
                    + "\",\"items\":[{\"sku\":\"" + sku + "\",\"quantity\":1}]}",
                    Map.of("Idempotency-Key", UUID.randomUUID().toString()));
            assertEquals(202, placed.statusCode(), placed.body());
            return JSON.readTree(placed.body()).get("id").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode awaitFinal(LedgerClientProcess service, String id) {
        JsonNode[] last = new JsonNode[1];
        await().alias("order " + id + " CONFIRMED or CANCELLED")
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    last[0] = JSON.readTree(service.get("/orders/" + id + "?minVersion=" + Long.MAX_VALUE).body());
                    String status = last[0].path("status").asText();
                    return status.equals("CONFIRMED") || status.equals("CANCELLED");
                });
        return last[0];
    }
}
