package dev.corebank.transfer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corebank.testing.LiveLedger;
import dev.corebank.transfer.transfers.NewTransfer;
import dev.corebank.transfer.transfers.TransferService;
import dev.corebank.transfer.transfers.TransferService.Answer;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Concurrent requests share accepting transactions (GroupCommit): a burst is written in fewer transactions
 * than requests, and every request still gets exactly its own answer, keys repeated inside one batch included.
 * Called on the service, beneath the HTTP rate limits, so the burst is as large as the test wants; the real
 * ledger then executes every command, and the money moves once per key.
 */
@QuarkusTest
class AcceptBatchingTest {

    private static final int DISTINCT = 120;
    private static final int REPEATS = 10;

    @Inject
    TransferService service;

    @Inject
    MeterRegistry registry;

    @Inject
    Pool pool;

    private static LiveLedger ledger;

    @BeforeAll
    static void ledger() {
        ledger = TransferLedger.get();
    }

    @Test
    void a_burst_is_accepted_in_shared_transactions_and_each_request_gets_its_own_answer() throws Exception {
        String client = "batch-" + UUID.randomUUID();
        UUID from = ledger.openAccount("EUR", 1_000_000);
        UUID to = ledger.openAccount("EUR", 0);
        DistributionSummary batches = registry.get("group.commit.batch.size").tag("batch", "transfer-accepts").summary();
        long batchesBefore = batches.count();
        double itemsBefore = batches.totalAmount();

        List<Uni<Answer>> burst = new ArrayList<>();
        for (int i = 0; i < DISTINCT; i++) {
            burst.add(service.accept(client, "key-" + i, new NewTransfer(from, to, 1 + i, "EUR", null), Duration.ZERO));
        }
        for (int i = 0; i < REPEATS; i++) {
            burst.add(service.accept(client, "repeated", new NewTransfer(from, to, 7, "EUR", null), Duration.ZERO));
        }
        List<Answer> answers = Uni.join().all(burst).andFailFast().await().atMost(Duration.ofSeconds(60));

        List<Answer> distinct = answers.subList(0, DISTINCT);
        assertEquals(DISTINCT, distinct.stream().map(a -> a.response().transferId()).distinct().count(),
                "a transfer of its own for every distinct key");
        for (int i = 0; i < DISTINCT; i++) {
            Answer answer = distinct.get(i);
            assertEquals(202, answer.response().status());
            assertTrue(answer.response().body().contains("\"amount\":" + (1 + i) + ","), "request " + i + " got "
                    + answer.response().body());
        }
        List<Answer> repeated = answers.subList(DISTINCT, DISTINCT + REPEATS);
        Set<String> repeatedBodies = repeated.stream().map(a -> a.response().body()).collect(Collectors.toSet());
        assertEquals(1, repeatedBodies.size(), "one answer for one key: " + repeatedBodies);
        assertEquals(REPEATS - 1, repeated.stream().filter(Answer::replayed).count(), "all but the first replayed");

        assertEquals(DISTINCT + 1, Transfers.count(pool, "SELECT count(*) FROM transfers WHERE from_account_id = $1", from));
        assertEquals(DISTINCT + 1, Transfers.count(pool, "SELECT count(*) FROM idempotency_keys WHERE client_id = $1", client));
        long transactions = batches.count() - batchesBefore;
        assertEquals(DISTINCT + REPEATS, (long) (batches.totalAmount() - itemsBefore), "every request in one batch");
        assertTrue(transactions < DISTINCT + REPEATS,
                DISTINCT + REPEATS + " requests took " + transactions + " transactions: none were shared");

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> Transfers.count(pool,
                "SELECT count(*) FROM transfers WHERE from_account_id = $1 AND status = 'COMPLETED'", from) == DISTINCT + 1);
        long moved = DISTINCT * (DISTINCT + 1L) / 2 + 7;
        assertEquals(1_000_000 - moved, ledger.balance(from), "each key's money moved once");
        assertEquals(moved, ledger.balance(to));
    }
}
