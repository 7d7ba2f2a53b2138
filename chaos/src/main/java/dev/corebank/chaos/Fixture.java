package dev.corebank.chaos;

import dev.corebank.chaos.Http.Answer;
import dev.corebank.testing.RunId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A scenario's own customers, merchants and products, made through the services' APIs as a teller and a shop
 * would, so that its checks can add up exactly what it started with: each customer is funded with {@code deposit},
 * merchants start at zero, each product has {@code stock} units at its own price.
 */
record Fixture(String tag, List<UUID> customers, List<UUID> merchants, List<Product> products, long deposit) {

    static final String CURRENCY = "EUR";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    record Product(String sku, long price, UUID merchant, int stock) {
    }

    /** Every account of the fixture, customers first. */
    List<UUID> accounts() {
        List<UUID> all = new ArrayList<>(customers);
        all.addAll(merchants);
        return all;
    }

    long funded() {
        return deposit * customers.size();
    }

    static Fixture open(String scenario, int customers, int merchants, int products, long deposit, int stock)
            throws Exception {
        String tag = "chaos-" + RunId.VALUE + "-" + scenario;
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<UUID>> opening = new ArrayList<>();
            for (int i = 0; i < customers; i++) {
                String owner = tag + "-customer-" + i;
                opening.add(clients.submit(() -> openAccount(owner, deposit)));
            }
            for (int i = 0; i < merchants; i++) {
                String owner = tag + "-merchant-" + i;
                opening.add(clients.submit(() -> openAccount(owner, 0)));
            }
            List<UUID> opened = new ArrayList<>();
            for (Future<UUID> account : opening) {
                opened.add(account.get());
            }
            List<UUID> merchantIds = opened.subList(customers, opened.size());
            List<Product> made = new ArrayList<>();
            for (int i = 0; i < products; i++) {
                // Prices apart, so a unit counted against the wrong product shows in the merchant's money.
                Product product = new Product(tag + "-sku-" + i, 100 + 37L * i, merchantIds.get(i % merchants), stock);
                made.add(product);
                expect(Http.post(Http.ORDERS + "/products", Map.of("sku", product.sku(), "name", "Chaos " + i,
                        "price", product.price(), "currency", CURRENCY, "stock", product.stock(),
                        "merchantAccountId", product.merchant()), Map.of(), TIMEOUT), 201, "creating a product");
            }
            return new Fixture(tag, List.copyOf(opened.subList(0, customers)), List.copyOf(merchantIds), made, deposit);
        } finally {
            clients.shutdownNow();
        }
    }

    private static UUID openAccount(String owner, long deposit) {
        Answer opened = expect(Http.post(Http.ACCOUNTS + "/accounts", Map.of("ownerId", owner, "currency", CURRENCY),
                Map.of(), TIMEOUT), 201, "opening an account");
        UUID id = UUID.fromString(opened.json().path("id").asText());
        if (deposit > 0) {
            expect(Http.post(Http.ACCOUNTS + "/accounts/" + id + "/deposits", Map.of("amount", deposit),
                    Map.of("Idempotency-Key", "chaos-" + UUID.randomUUID()), TIMEOUT), 201, "funding an account");
        }
        return id;
    }

    private static Answer expect(Answer answer, int status, String what) {
        if (!answer.is(status)) {
            throw new IllegalStateException(what + " answered " + answer);
        }
        return answer;
    }
}
