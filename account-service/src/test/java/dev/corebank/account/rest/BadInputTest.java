package dev.corebank.account.rest;

import dev.corebank.account.LedgerTestSupport;
import dev.corebank.testing.BadInputContract;
import dev.corebank.testing.BadInputContract.Case;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import static io.restassured.RestAssured.given;

/**
 * A corpus of bad requests: each gets a 4xx {@code application/problem+json} and changes nothing, checked
 * against the row counts of every table a request could write and the target account's state.
 */
@QuarkusTest
class BadInputTest {

    private static final String JSON = "application/json";

    @Inject
    LedgerTestSupport ledger;

    private UUID account;

    @BeforeEach
    void anAccountWithMoney() {
        account = ledger.open("EUR", 0);
        ledger.deposit(account, 1_000);
    }

    @TestFactory
    Stream<DynamicTest> every_bad_request_is_a_4xx_problem_and_writes_nothing() {
        List<Case> corpus = new ArrayList<>();
        // Opening accounts
        corpus.add(new Case("malformed JSON", 400, () -> post("/accounts", "{\"ownerId\": \"a\", ")));
        corpus.add(new Case("not JSON at all", 400, () -> post("/accounts", "ownerId=a&currency=EUR")));
        corpus.add(new Case("empty body", 400, () -> post("/accounts", "")));
        corpus.add(new Case("JSON array instead of object", 400, () -> post("/accounts", "[]")));
        corpus.add(new Case("missing ownerId", 400, () -> post("/accounts", "{\"currency\":\"EUR\"}")));
        corpus.add(new Case("blank ownerId", 400, () -> post("/accounts", "{\"ownerId\":\"  \",\"currency\":\"EUR\"}")));
        corpus.add(new Case("ownerId too long", 400, () -> post("/accounts",
                "{\"ownerId\":\"" + "x".repeat(129) + "\",\"currency\":\"EUR\"}")));
        corpus.add(new Case("ownerId with a NUL character", 400, () -> post("/accounts",
                "{\"ownerId\":\"a\\u0000b\",\"currency\":\"EUR\"}")));
        corpus.add(new Case("missing currency", 400, () -> post("/accounts", "{\"ownerId\":\"a\"}")));
        corpus.add(new Case("unknown currency", 400, () -> post("/accounts", "{\"ownerId\":\"a\",\"currency\":\"ZZZ\"}")));
        corpus.add(new Case("lower-case currency", 400, () -> post("/accounts", "{\"ownerId\":\"a\",\"currency\":\"eur\"}")));
        corpus.add(new Case("currency as a number", 400, () -> post("/accounts", "{\"ownerId\":\"a\",\"currency\":978}")));
        corpus.add(new Case("negative overdraft", 400, () -> post("/accounts",
                "{\"ownerId\":\"a\",\"currency\":\"EUR\",\"overdraftLimit\":-1}")));
        corpus.add(new Case("overdraft over the maximum", 400, () -> post("/accounts",
                "{\"ownerId\":\"a\",\"currency\":\"EUR\",\"overdraftLimit\":1000000000001}")));
        corpus.add(new Case("unknown field", 400, () -> post("/accounts",
                "{\"ownerId\":\"a\",\"currency\":\"EUR\",\"balance\":1000000}")));
        corpus.add(new Case("wrong content type", 415, () -> given().contentType("text/plain").body("hi").post("/accounts")));
        corpus.add(new Case("oversize body", 413, () -> post("/accounts",
                "{\"ownerId\":\"" + "x".repeat(40_000) + "\",\"currency\":\"EUR\"}")));
        // Deposits and withdrawals
        corpus.add(new Case("missing Idempotency-Key", 400, () -> given().contentType(JSON).body("{\"amount\":5}")
                .post("/accounts/{id}/deposits", account)));
        corpus.add(new Case("Idempotency-Key too long", 400, () -> cash("deposits", "{\"amount\":5}", "k".repeat(256))));
        corpus.add(new Case("Idempotency-Key with spaces", 400, () -> cash("deposits", "{\"amount\":5}", "two words")));
        corpus.add(new Case("zero amount", 400, () -> cash("deposits", "{\"amount\":0}", key())));
        corpus.add(new Case("negative amount", 400, () -> cash("deposits", "{\"amount\":-5}", key())));
        corpus.add(new Case("fractional amount", 400, () -> cash("deposits", "{\"amount\":10.5}", key())));
        corpus.add(new Case("amount as a string", 400, () -> cash("deposits", "{\"amount\":\"10\"}", key())));
        corpus.add(new Case("amount overflowing a long", 400, () -> cash("deposits", "{\"amount\":9223372036854775808}", key())));
        corpus.add(new Case("amount over the maximum", 400, () -> cash("deposits", "{\"amount\":1000000000001}", key())));
        corpus.add(new Case("missing amount", 400, () -> cash("deposits", "{\"reference\":\"x\"}", key())));
        corpus.add(new Case("null amount", 400, () -> cash("deposits", "{\"amount\":null}", key())));
        corpus.add(new Case("reference too long", 400, () -> cash("deposits",
                "{\"amount\":5,\"reference\":\"" + "r".repeat(141) + "\"}", key())));
        corpus.add(new Case("reference with a NUL character", 400, () -> cash("deposits",
                "{\"amount\":5,\"reference\":\"a\\u0000b\"}", key())));
        corpus.add(new Case("duplicate amount field", 400, () -> cash("deposits", "{\"amount\":5,\"amount\":500}", key())));
        corpus.add(new Case("trailing garbage", 400, () -> cash("deposits", "{\"amount\":5} {}", key())));
        corpus.add(new Case("withdrawal beyond available", 422, () -> cash("withdrawals", "{\"amount\":1001}", key())));
        corpus.add(new Case("deposit to an unknown account", 404, () -> given().contentType(JSON).header("Idempotency-Key", key())
                .body("{\"amount\":5}").post("/accounts/{id}/deposits", UUID.randomUUID())));
        corpus.add(new Case("deposit to a malformed id", 400, () -> given().contentType(JSON).header("Idempotency-Key", key())
                .body("{\"amount\":5}").post("/accounts/{id}/deposits", "not-a-uuid")));
        // Reads and edits
        corpus.add(new Case("unknown account", 404, () -> given().get("/accounts/{id}", UUID.randomUUID())));
        corpus.add(new Case("malformed account id", 400, () -> given().get("/accounts/{id}", "12345")));
        corpus.add(new Case("minVersion not a number", 400, () -> given().queryParam("minVersion", "new").get("/accounts/{id}", account)));
        corpus.add(new Case("negative minVersion", 400, () -> given().queryParam("minVersion", "-1").get("/accounts/{id}", account)));
        corpus.add(new Case("entries limit zero", 400, () -> given().queryParam("limit", 0).get("/accounts/{id}/entries", account)));
        corpus.add(new Case("entries limit huge", 400, () -> given().queryParam("limit", 100_000).get("/accounts/{id}/entries", account)));
        corpus.add(new Case("forged cursor", 400, () -> given().queryParam("cursor", "!!!").get("/accounts/{id}/entries", account)));
        // "+294277-01-05T00:00:00Z|7": a valid instant, past what PostgreSQL's timestamptz holds
        corpus.add(new Case("cursor beyond the database's time range", 400, () -> given().queryParam("cursor", "KzI5NDI3Ny0wMS0wNVQwMDowMDowMFp8Nw")
                .get("/accounts/{id}/entries", account)));
        corpus.add(new Case("PATCH without If-Match", 428, () -> given().contentType(JSON).body("{\"status\":\"FROZEN\"}")
                .patch("/accounts/{id}", account)));
        corpus.add(new Case("PATCH with a stale version", 412, () -> given().contentType(JSON).header("If-Match", "\"0\"")
                .body("{\"status\":\"FROZEN\"}").patch("/accounts/{id}", account)));
        corpus.add(new Case("PATCH with a weak ETag", 412, () -> given().contentType(JSON).header("If-Match", "W/\"1\"")
                .body("{\"status\":\"FROZEN\"}").patch("/accounts/{id}", account)));
        corpus.add(new Case("PATCH with an unknown status", 400, () -> given().contentType(JSON).header("If-Match", "\"1\"")
                .body("{\"status\":\"DELETED\"}").patch("/accounts/{id}", account)));
        corpus.add(new Case("PATCH with a status as number", 400, () -> given().contentType(JSON).header("If-Match", "\"1\"")
                .body("{\"status\":1}").patch("/accounts/{id}", account)));
        corpus.add(new Case("PATCH with nothing to change", 400, () -> given().contentType(JSON).header("If-Match", "\"1\"")
                .body("{}").patch("/accounts/{id}", account)));
        corpus.add(new Case("PATCH changing the balance", 400, () -> given().contentType(JSON).header("If-Match", "\"1\"")
                .body("{\"balance\":1000000}").patch("/accounts/{id}", account)));
        corpus.add(new Case("unknown path", 404, () -> given().get("/accounts/{id}/nothing-here", account)));
        corpus.add(new Case("wrong method", 405, () -> given().delete("/accounts/{id}", account)));
        corpus.add(new Case("archive without a threshold", 400, () -> given().post("/admin/partitions/archive")));
        corpus.add(new Case("archive of the current month", 400, () -> given().queryParam("olderThanMonths", 0)
                .post("/admin/partitions/archive")));

        return BadInputContract.check(corpus, this::snapshot);
    }

    private Response post(String path, String body) {
        return given().contentType(JSON).body(body).post(path);
    }

    private Response cash(String kind, String body, String key) {
        return given().contentType(JSON).header("Idempotency-Key", key).body(body).post("/accounts/{id}/" + kind, account);
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }

    private Snapshot snapshot() {
        return new Snapshot(
                ledger.single("SELECT count(*) FROM accounts"),
                ledger.single("SELECT count(*) FROM movements"),
                ledger.single("SELECT count(*) FROM journal_entries"),
                ledger.single("SELECT count(*) FROM commands"),
                ledger.single("SELECT count(*) FROM outbox"),
                ledger.single("SELECT count(*) FROM journal_partitions WHERE archived"),
                ledger.row("SELECT balance || '/' || held || '/' || version || '/' || status AS s FROM accounts WHERE id = $1",
                        account).getString("s"));
    }


    private record Snapshot(long accounts, long movements, long entries, long commands, long outbox, long archived,
            String account) {
    }
}
