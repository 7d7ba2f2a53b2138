package dev.corebank.account.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.corebank.account.LedgerTestSupport;
import dev.corebank.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The accounts API as a client sees it. */
@QuarkusTest
class AccountApiTest {

    @Inject
    LedgerTestSupport ledger;

    @Inject
    Pool pool;

    @Test
    void an_opened_account_is_readable_at_its_location_with_its_version_as_etag() {
        Response created = given().contentType(ContentType.JSON)
                .body(Map.of("ownerId", "alice", "currency", "EUR", "overdraftLimit", 500))
                .post("/accounts");
        created.then().statusCode(201)
                .header("ETag", "\"0\"")
                .body("balance", equalTo(0), "available", equalTo(0), "overdraftLimit", equalTo(500),
                        "status", equalTo("OPEN"), "version", equalTo(0), "currency", equalTo("EUR"));
        String location = created.header("Location");
        assertNotNull(location);

        given().get(location).then().statusCode(200)
                .header("ETag", "\"0\"")
                .body("id", equalTo(created.path("id")), "ownerId", equalTo("alice"));
    }

    @Test
    void a_stale_edit_gets_412_and_an_unconditional_one_428() {
        UUID id = ledger.open("EUR", 0);
        given().contentType(ContentType.JSON).header("If-Match", "\"0\"").body(Map.of("overdraftLimit", 100))
                .patch("/accounts/{id}", id)
                .then().statusCode(200).header("ETag", "\"1\"").body("overdraftLimit", equalTo(100), "version", equalTo(1));

        given().contentType(ContentType.JSON).header("If-Match", "\"0\"").body(Map.of("status", "FROZEN"))
                .patch("/accounts/{id}", id)
                .then().statusCode(412).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(Map.of("status", "FROZEN"))
                .patch("/accounts/{id}", id)
                .then().statusCode(428).contentType("application/problem+json");

        given().get("/accounts/{id}", id).then().body("status", equalTo("OPEN"), "version", equalTo(1));
    }

    @Test
    void an_account_holding_money_cannot_be_closed_nor_its_overdraft_cut_below_its_debt() {
        UUID id = ledger.open("EUR", 100);
        ledger.deposit(id, 10);
        given().contentType(ContentType.JSON).header("If-Match", "\"1\"").body(Map.of("status", "CLOSED"))
                .patch("/accounts/{id}", id).then().statusCode(409).contentType("application/problem+json");
        given().contentType(ContentType.JSON).header("Idempotency-Key", "w-" + id).body(Map.of("amount", 60))
                .post("/accounts/{id}/withdrawals", id).then().statusCode(201).body("balance", equalTo(-50));
        given().contentType(ContentType.JSON).header("If-Match", "\"2\"").body(Map.of("overdraftLimit", 10))
                .patch("/accounts/{id}", id).then().statusCode(409).contentType("application/problem+json");
        given().get("/accounts/{id}", id).then().body("overdraftLimit", equalTo(100), "balance", equalTo(-50));
    }

    @Test
    void an_edit_naming_a_version_it_did_not_read_is_412_even_if_that_version_commits_meanwhile() throws Exception {
        UUID id = ledger.open("EUR", 0);
        ExecutorService clients = Executors.newSingleThreadExecutor();
        SqlConnection other = pool.getConnection().await().atMost(Duration.ofSeconds(10));
        try {
            // Writes to accounts wait, reads do not: the edit reads version 0, then its UPDATE waits here.
            other.query("BEGIN").execute().await().atMost(Duration.ofSeconds(10));
            other.query("LOCK TABLE accounts IN SHARE ROW EXCLUSIVE MODE").execute().await().atMost(Duration.ofSeconds(10));
            Future<Response> edit = clients.submit(() -> given().contentType(ContentType.JSON).header("If-Match", "\"1\"")
                    .body(Map.of("overdraftLimit", 100)).patch("/accounts/{id}", id));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!edit.isDone() && waitingOnLocks() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            // Meanwhile another change commits version 1: the account is closed.
            other.preparedQuery("UPDATE accounts SET status = 'CLOSED', version = version + 1 WHERE id = $1")
                    .execute(Tuple.of(id)).await().atMost(Duration.ofSeconds(10));
            other.query("COMMIT").execute().await().atMost(Duration.ofSeconds(10));

            // The edit was judged against version 0 (OPEN) and must not land on version 1, reopening it.
            assertEquals(412, edit.get(20, TimeUnit.SECONDS).statusCode(), edit.get().asString());
        } finally {
            other.close().await().atMost(Duration.ofSeconds(10));
            clients.shutdown();
        }
        given().get("/accounts/{id}", id).then().body("status", equalTo("CLOSED"), "overdraftLimit", equalTo(0),
                "version", equalTo(1));
    }

    private long waitingOnLocks() {
        return pool.query("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")
                .execute().map(rows -> rows.iterator().next().getLong(0)).await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void a_deposit_repeated_under_its_key_is_made_once_and_answered_the_same() throws Exception {
        UUID id = ledger.open("EUR", 0);
        String key = "salary-" + UUID.randomUUID();
        Callable<Response> deposit = () -> given().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Map.of("amount", 700, "reference", "November"))
                .post("/accounts/{id}/deposits", id);

        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<Response>> responses = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            responses.add(clients.submit(deposit));
        }
        Set<String> bodies = new HashSet<>();
        for (Future<Response> response : responses) {
            assertEquals(201, response.get().statusCode(), response.get().asString());
            bodies.add(response.get().asString());
        }
        clients.shutdown();

        assertEquals(1, bodies.size(), "every repeat got the first answer: " + bodies);
        given().get("/accounts/{id}", id).then().body("balance", equalTo(700), "version", equalTo(1));
        given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(Map.of("amount", 701))
                .post("/accounts/{id}/deposits", id)
                .then().statusCode(422).contentType("application/problem+json");
        assertEquals(1L, ledger.single("SELECT count(*) FROM journal_entries WHERE account_id = $1", id));
    }

    @Test
    void two_tellers_under_the_same_key_make_two_deposits() {
        UUID id = ledger.open("EUR", 0);
        String key = "till-" + UUID.randomUUID();
        Set<String> movements = new HashSet<>();
        for (String teller : List.of("teller-a-" + UUID.randomUUID(), "teller-b-" + UUID.randomUUID())) {
            Response receipt = given().header("Authorization", Tokens.bearer(Tokens.mint(teller, "teller")))
                    .contentType(ContentType.JSON).header("Idempotency-Key", key).body(Map.of("amount", 50))
                    .post("/accounts/{id}/deposits", id);
            assertEquals(201, receipt.statusCode(), receipt.asString());
            movements.add(receipt.jsonPath().getString("movementId"));
        }

        assertEquals(2, movements.size(), "two movements, not one answered twice: " + movements);
        given().get("/accounts/{id}", id).then().body("balance", equalTo(100));
        assertEquals(2L, ledger.single("SELECT count(*) FROM journal_entries WHERE account_id = $1", id));
    }

    @Test
    void a_withdrawal_beyond_what_is_available_is_refused_with_422() {
        UUID id = ledger.open("EUR", 0);
        ledger.deposit(id, 100);
        given().contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("amount", 101))
                .post("/accounts/{id}/withdrawals", id)
                .then().statusCode(422).contentType("application/problem+json").body("reason", equalTo("INSUFFICIENT_FUNDS"));
        given().get("/accounts/{id}", id).then().body("balance", equalTo(100));
    }

    @Test
    void entries_come_newest_first_a_page_at_a_time() {
        UUID id = ledger.open("EUR", 0);
        for (int amount = 1; amount <= 5; amount++) {
            ledger.deposit(id, amount);
        }
        Response first = given().queryParam("limit", 2).get("/accounts/{id}/entries", id);
        first.then().statusCode(200)
                .body("entries", hasSize(2), "entries[0].amount", equalTo(5), "entries[0].balanceAfter", equalTo(15),
                        "entries[1].amount", equalTo(4), "nextCursor", matchesPattern("[A-Za-z0-9_-]+"));
        Response second = given().queryParam("limit", 2).queryParam("cursor", first.path("nextCursor").toString())
                .get("/accounts/{id}/entries", id);
        second.then().body("entries.amount", equalTo(List.of(3, 2)));
        given().queryParam("limit", 2).queryParam("cursor", second.path("nextCursor").toString())
                .get("/accounts/{id}/entries", id)
                .then().body("entries.amount", equalTo(List.of(1)), "nextCursor", nullValue());
    }
}
