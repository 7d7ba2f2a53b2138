package dev.corebank.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corebank.testing.AccountServiceProcess;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Customer accounts opened and funded through account-service's API, as a client would, eight at a time. */
final class FundedAccounts {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FundedAccounts() {
    }

    /** Opens {@code count} accounts in {@code currency}, each with an opening deposit of {@code deposit}. */
    static List<UUID> open(AccountServiceProcess ledger, int count, String currency, long deposit) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<UUID>> opened = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String owner = "bench-owner-" + i;
                opened.add(clients.submit(() -> openFunded(ledger, owner, currency, deposit)));
            }
            List<UUID> ids = new ArrayList<>(count);
            for (Future<UUID> account : opened) {
                ids.add(account.get());
            }
            return ids;
        } finally {
            clients.shutdownNow();
        }
    }

    private static UUID openFunded(AccountServiceProcess ledger, String owner, String currency, long deposit)
            throws IOException, InterruptedException {
        HttpResponse<String> opened = ledger.post("/accounts",
                JSON.writeValueAsString(Map.of("ownerId", owner, "currency", currency, "overdraftLimit", 0)), Map.of());
        expectCreated(opened, "opening an account");
        UUID id = UUID.fromString(JSON.readTree(opened.body()).get("id").asText());
        HttpResponse<String> deposited = ledger.post("/accounts/" + id + "/deposits",
                JSON.writeValueAsString(Map.of("amount", deposit)),
                Map.of("Idempotency-Key", "bench-" + UUID.randomUUID()));
        expectCreated(deposited, "the opening deposit");
        return id;
    }

    private static void expectCreated(HttpResponse<String> response, String what) {
        if (response.statusCode() != 201) {
            throw new IllegalStateException(what + " answered " + response.statusCode() + ": " + response.body());
        }
    }
}
