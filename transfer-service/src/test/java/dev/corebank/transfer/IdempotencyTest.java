package dev.corebank.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corebank.testing.LiveLedger;
import dev.corebank.transfer.idempotency.IdempotencyRepository;
import dev.corebank.transfer.idempotency.KeyAnswer;
import dev.corebank.transfer.idempotency.KeyClaim;
import dev.corebank.transfer.idempotency.KeyPurge;
import dev.corebank.transfer.idempotency.KeyRecord;
import dev.corebank.transfer.idempotency.StoredResponse;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Idempotency-Key semantics: one transfer per key, the first answer replayed, a different request refused. */
@QuarkusTest
class IdempotencyTest {

    @Inject
    Pool pool;

    @Inject
    KeyPurge purge;

    @Inject
    IdempotencyRepository keys;

    private static LiveLedger ledger;
    private final Transfers api = new Transfers();

    @BeforeAll
    static void ledger() {
        ledger = TransferLedger.get();
    }

    @Test
    void a_retry_gets_the_first_status_and_body_and_makes_no_second_transfer() throws Exception {
        UUID from = ledger.openAccount("EUR", 1_000);
        UUID to = ledger.openAccount("EUR", 0);
        String key = UUID.randomUUID().toString();

        Response first = api.post(key, from, to, 100, "EUR");
        assertEquals(202, first.statusCode(), first.asString());
        String id = first.jsonPath().getString("id");
        Transfers.awaitFinal(id, Duration.ofSeconds(20));
        Response retry = api.post(key, from, to, 100, "EUR");

        assertEquals(202, retry.statusCode(), "the first answer's status, though the transfer has completed since");
        assertEquals(first.asString(), retry.asString(), "byte for byte the first answer");
        assertEquals(first.header("Location"), retry.header("Location"));
        assertEquals("true", retry.header("Idempotent-Replayed"));
        assertNull(first.header("Idempotent-Replayed"));
        assertEquals(1, transfersFrom(from));
        assertEquals(900, ledger.balance(from), "the money moved once");
    }

    @Test
    void a_retry_after_a_wait_that_saw_the_outcome_gets_that_final_answer() throws Exception {
        UUID from = ledger.openAccount("EUR", 1_000);
        UUID to = ledger.openAccount("EUR", 0);
        String key = UUID.randomUUID().toString();

        Response first = api.postAndWait(key, from, to, 100, "EUR", 20);
        assertEquals(200, first.statusCode(), first.asString());
        assertEquals("COMPLETED", first.jsonPath().getString("status"));
        Response retry = api.post(key, from, to, 100, "EUR");

        assertEquals(200, retry.statusCode(), retry.asString());
        assertEquals(first.asString(), retry.asString(), "byte for byte the first answer");
        assertEquals("true", retry.header("Idempotent-Replayed"));
        assertEquals(1, transfersFrom(from));
        assertEquals(900, ledger.balance(from), "the money moved once");
    }

    @Test
    void a_key_keeps_the_first_answer_stored_and_every_racer_gets_that_one() throws Exception {
        UUID transfer = UUID.randomUUID();
        KeyClaim claim = new KeyClaim("racers", UUID.randomUUID().toString(), new byte[] {1}, transfer,
                Instant.now().plusSeconds(60), Optional.empty());
        pool.withTransaction(tx -> keys.claim(tx, List.of(claim))).await().atMost(Duration.ofSeconds(10));
        StoredResponse pending = new StoredResponse(transfer, 202, "{\"status\":\"PENDING\"}");
        StoredResponse settled = new StoredResponse(transfer, 200, "{\"status\":\"COMPLETED\"}");

        List<Optional<StoredResponse>> together = keys.answer(pool, List.of(
                new KeyAnswer(claim.clientId(), claim.key(), pending),
                new KeyAnswer(claim.clientId(), claim.key(), settled))).await().atMost(Duration.ofSeconds(10));
        List<Optional<StoredResponse>> later = keys.answer(pool, List.of(
                new KeyAnswer(claim.clientId(), claim.key(), settled))).await().atMost(Duration.ofSeconds(10));

        assertTrue(together.get(0).isPresent(), "one of the two was stored");
        assertEquals(together.get(0), together.get(1), "both racers answer with the one stored");
        assertEquals(Optional.empty(), later.get(0), "a later answer is not stored over the first");
        assertEquals(together.get(0), keys.find(pool, claim.clientId(), claim.key())
                .await().atMost(Duration.ofSeconds(10)).flatMap(KeyRecord::response));
    }

    @Test
    void the_same_key_with_a_different_request_is_refused_and_changes_nothing() throws Exception {
        UUID from = ledger.openAccount("EUR", 1_000);
        UUID to = ledger.openAccount("EUR", 0);
        String key = UUID.randomUUID().toString();
        assertEquals(202, api.post(key, from, to, 100, "EUR").statusCode());

        Response other = api.post(key, from, to, 101, "EUR");

        assertEquals(422, other.statusCode(), other.asString());
        assertTrue(other.contentType().startsWith("application/problem+json"));
        assertTrue(other.jsonPath().getString("type").endsWith("/idempotency-key-reused"));
        assertEquals(1, transfersFrom(from));
    }

    @Test
    void keys_belong_to_their_client() throws Exception {
        UUID from = ledger.openAccount("EUR", 1_000);
        UUID to = ledger.openAccount("EUR", 0);
        String key = UUID.randomUUID().toString();

        Response mine = api.post(key, from, to, 100, "EUR");
        Response theirs = new Transfers().post(key, from, to, 100, "EUR");

        assertEquals(202, theirs.statusCode(), theirs.asString());
        assertNotEquals(mine.jsonPath().getString("id"), theirs.jsonPath().getString("id"));
    }

    @Test
    void concurrent_requests_with_one_key_make_one_transfer_and_get_one_answer() throws Exception {
        UUID from = ledger.openAccount("EUR", 1_000);
        UUID to = ledger.openAccount("EUR", 0);
        String key = UUID.randomUUID().toString();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Response>> requests = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                requests.add(() -> api.post(key, from, to, 250, "EUR"));
            }
            List<Response> responses = new ArrayList<>();
            for (Future<Response> response : pool.invokeAll(requests)) {
                responses.add(response.get());
            }

            Set<String> bodies = responses.stream().map(Response::asString).collect(Collectors.toSet());
            assertEquals(Set.of(202), responses.stream().map(Response::statusCode).collect(Collectors.toSet()), bodies.toString());
            assertEquals(1, bodies.size(), "one answer for all: " + bodies);
            assertEquals(7, responses.stream().filter(r -> "true".equals(r.header("Idempotent-Replayed"))).count());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, transfersFrom(from));
        Transfers.awaitFinal(String.valueOf(singleTransferId(from)), Duration.ofSeconds(20));
        assertEquals(750, ledger.balance(from), "the money moved once");
    }

    @Test
    void a_missing_key_is_a_400_and_writes_nothing() throws Exception {
        UUID from = ledger.openAccount("EUR", 1_000);

        Response response = api.request().body(Transfers.body(from, UUID.randomUUID(), 5, "EUR")).post("/transfers");

        assertEquals(400, response.statusCode());
        assertTrue(response.jsonPath().getString("detail").contains("Idempotency-Key"), response.asString());
        assertEquals(0, transfersFrom(from));
    }

    @Test
    void keys_past_their_retention_are_purged_and_then_free_for_a_new_transfer() throws Exception {
        UUID from = ledger.openAccount("EUR", 1_000);
        UUID to = ledger.openAccount("EUR", 0);
        String key = UUID.randomUUID().toString();
        String first = api.post(key, from, to, 10, "EUR").jsonPath().getString("id");
        String kept = UUID.randomUUID().toString();
        api.post(kept, from, to, 10, "EUR");
        Transfers.awaitFinal(first, Duration.ofSeconds(20));
        pool.preparedQuery("UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = $1")
                .execute(Tuple.of(key)).await().atMost(Duration.ofSeconds(10));

        long purged = purge.purge().await().atMost(Duration.ofSeconds(30));

        assertTrue(purged >= 1, "purged " + purged);
        assertEquals(0, Transfers.count(pool, "SELECT count(*) FROM idempotency_keys WHERE key = $1", key));
        assertEquals(1, Transfers.count(pool, "SELECT count(*) FROM idempotency_keys WHERE key = $1", kept),
                "a key within its retention is kept");
        String second = api.post(key, from, to, 10, "EUR").jsonPath().getString("id");
        assertNotEquals(first, second, "a forgotten key makes a new transfer");
    }

    @Test
    void a_pending_transfers_key_outlives_its_retention_and_goes_once_the_transfer_settles() throws Exception {
        UUID from = ledger.openAccount("EUR", 1_000);
        UUID to = ledger.openAccount("EUR", 0);
        String pendingKey = UUID.randomUUID().toString();
        String settledKey = UUID.randomUUID().toString();
        String pending = api.post(pendingKey, from, to, 10, "EUR").jsonPath().getString("id");
        String settled = api.post(settledKey, from, to, 20, "EUR").jsonPath().getString("id");
        Transfers.awaitFinal(pending, Duration.ofSeconds(20));
        Transfers.awaitFinal(settled, Duration.ofSeconds(20));
        // The first stands for a transfer the ledger has not answered for a day: PENDING, its command last re-sent
        // just now at the sweeper's longest wait (so the sweeper leaves it alone while this test runs).
        pool.preparedQuery("""
                UPDATE transfers SET status = 'PENDING', completed_at = NULL, reason = NULL, detail = NULL,
                                     last_sent_at = now(), send_count = 30
                WHERE id = $1""").execute(Tuple.of(UUID.fromString(pending))).await().atMost(Duration.ofSeconds(10));
        pool.preparedQuery("UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = ANY($1)")
                .execute(Tuple.of(new String[] {pendingKey, settledKey})).await().atMost(Duration.ofSeconds(10));

        purge.purge().await().atMost(Duration.ofSeconds(30));

        assertEquals(1, keyCount(pendingKey), "the key of a transfer still PENDING is kept past its retention");
        assertEquals(0, keyCount(settledKey), "the key of a settled transfer is purged");
        Response retry = api.post(pendingKey, from, to, 10, "EUR");
        assertEquals(pending, retry.jsonPath().getString("id"), "a retry finds the pending transfer");
        assertEquals("true", retry.header("Idempotent-Replayed"));
        assertEquals(2, transfersFrom(from), "no second transfer");

        pool.preparedQuery("UPDATE transfers SET status = 'COMPLETED', completed_at = now() WHERE id = $1")
                .execute(Tuple.of(UUID.fromString(pending))).await().atMost(Duration.ofSeconds(10));
        purge.purge().await().atMost(Duration.ofSeconds(30));

        assertEquals(0, keyCount(pendingKey), "once the transfer settled, its old key goes");
    }

    private long keyCount(String key) {
        return Transfers.count(pool, "SELECT count(*) FROM idempotency_keys WHERE key = $1", key);
    }

    private long transfersFrom(UUID account) {
        return Transfers.count(pool, "SELECT count(*) FROM transfers WHERE from_account_id = $1", account);
    }

    private UUID singleTransferId(UUID account) {
        return pool.preparedQuery("SELECT id FROM transfers WHERE from_account_id = $1").execute(Tuple.of(account))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getUUID("id");
    }
}
