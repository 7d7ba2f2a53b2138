package dev.corebank.account.journal;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corebank.account.LedgerTestSupport;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Month partitions made ahead of time; old months detached into the archive, and the books still balance. */
@QuarkusTest
class JournalPartitionsTest {

    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("'journal_entries_y'yyyy'm'MM");

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    LedgerTestSupport ledger;

    @Inject
    Pool pool;

    @Test
    void the_current_month_and_three_more_exist_from_start_up() {
        YearMonth now = YearMonth.now(ZoneOffset.UTC);
        given().get("/admin/partitions").then().statusCode(200)
                .body("name", hasItems(NAME.format(now), NAME.format(now.plusMonths(1)), NAME.format(now.plusMonths(2)),
                        NAME.format(now.plusMonths(3))));
    }

    @Test
    void archiving_detaches_old_months_and_keeps_the_trial_balance_reconciled() {
        // A movement posted long ago, written the way the ledger writes one.
        UUID from = ledger.open("SEK", 0);
        UUID to = ledger.open("SEK", 0);
        ledger.deposit(from, 100);
        UUID movement = UUID.randomUUID();
        ledger.single("SELECT ensure_month_partition('journal_entries', '2024-03-10')::int");
        ledger.single("""
                WITH m AS (INSERT INTO movements (id, kind, currency, amount, posted_at)
                           VALUES ($1, 'TRANSFER', 'SEK', 60, '2024-03-10T12:00:00Z') RETURNING id),
                     e AS (INSERT INTO journal_entries (movement_id, account_id, kind, amount, balance_after, posted_at)
                           VALUES ($1, $2, 'TRANSFER', -60, 40, '2024-03-10T12:00:00Z'),
                                  ($1, $3, 'TRANSFER', 60, 60, '2024-03-10T12:00:00Z') RETURNING 1),
                     a AS (UPDATE accounts SET balance = balance + CASE WHEN id = $2 THEN -60 ELSE 60 END
                           WHERE id IN ($2, $3) RETURNING 1)
                SELECT (SELECT count(*) FROM m) + (SELECT count(*) FROM e) + (SELECT count(*) FROM a)""",
                movement, from, to);
        assertBalanced();

        JsonPath archived = given().queryParam("olderThanMonths", 6).post("/admin/partitions/archive")
                .then().statusCode(200).extract().jsonPath();

        assertTrue(archived.getList("archived", String.class).contains("journal_entries_y2024m03"), archived.prettify());
        given().get("/admin/partitions").then()
                .body("findAll { it.archived }.name", hasItem("journal_entries_y2024m03"));
        assertEquals(0L, ledger.single("SELECT count(*) FROM journal_entries WHERE movement_id = $1", movement),
                "the live journal no longer holds the month");
        assertEquals(2L, ledger.single("SELECT count(*) FROM archive.journal_entries_y2024m03 WHERE movement_id = $1", movement),
                "the month is kept in the archive, not deleted");
        assertBalanced();
        // The current month stays.
        given().queryParam("olderThanMonths", 1).post("/admin/partitions/archive").then().statusCode(200);
        given().get("/admin/partitions").then()
                .body("findAll { !it.archived }.name", hasItem(NAME.format(YearMonth.now(ZoneOffset.UTC))));
    }

    @Test
    void archiving_behind_a_long_reader_gives_up_with_503_rather_than_hold_up_postings() throws Exception {
        ledger.single("SELECT ensure_month_partition('journal_entries', '2023-01-10')::int");
        SqlConnection reader = pool.getConnection().await().atMost(WAIT);
        ExecutorService client = Executors.newSingleThreadExecutor();
        try {
            // A long read of the journal: its lock conflicts with the DETACH's.
            reader.query("BEGIN").execute().await().atMost(WAIT);
            reader.query("SELECT count(*) FROM journal_entries").execute().await().atMost(WAIT);

            Future<Response> archive = client.submit(() -> given().queryParam("olderThanMonths", 6)
                    .post("/admin/partitions/archive"));
            // Waiting for the reader, it would be answered only once the reader ends; postings would queue behind it.
            Response busy = archive.get(15, TimeUnit.SECONDS);

            assertEquals(503, busy.statusCode(), busy.asString());
            assertTrue(busy.contentType().startsWith("application/problem+json"), busy.contentType());
            assertEquals("30", busy.header("Retry-After"));
        } finally {
            reader.query("ROLLBACK").execute().await().atMost(WAIT);
            reader.close().await().atMost(WAIT);
            client.shutdown();
        }
        given().queryParam("olderThanMonths", 6).post("/admin/partitions/archive").then().statusCode(200);
        given().get("/admin/partitions").then()
                .body("findAll { it.archived }.name", hasItem("journal_entries_y2023m01"));
    }

    private void assertBalanced() {
        JsonPath trial = given().get("/ledger/trial-balance").then().statusCode(200).extract().jsonPath();
        Map<String, Object> sek = trial.getMap("currencies.find { it.currency == 'SEK' }");
        assertEquals(Boolean.TRUE, sek.get("balanced"), trial.prettify());
        assertEquals(List.of(), sek.get("mismatchedAccounts"));
    }
}
