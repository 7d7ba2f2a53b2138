package dev.corebank.account.command;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corebank.account.LedgerTestSupport;
import dev.corebank.account.LedgerTestSupport.Reply;
import dev.corebank.messages.ledger.LedgerCommand.TransferFunds;
import dev.corebank.platform.id.UuidV7;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Transfers among 20 accounts through the real command topic, one account taking half of all credits,
 * while HTTP withdrawals hit that hot account at the same time and some commands arrive twice. Money is
 * neither lost nor made, no account goes beyond its overdraft, and each account ends exactly where its
 * posted transfers say it must.
 */
@QuarkusTest
class ConcurrentTransfersTest {

    private static final String CURRENCY = "CHF";
    private static final int ACCOUNTS = 20;
    private static final int TRANSFERS = 4_000;
    private static final int REDELIVERED = 300;
    private static final int RESENT = 300;
    private static final long OPENING = 10_000;

    @Inject
    LedgerTestSupport ledger;

    @Inject
    Pool pool;

    @Test
    void money_is_conserved_under_concurrent_transfers_with_a_hot_account() throws Exception {
        List<UUID> accounts = new ArrayList<>();
        Map<UUID, Long> overdraft = new HashMap<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            long limit = i % 4 == 0 ? 5_000 : 0;
            UUID id = ledger.open(CURRENCY, limit);
            ledger.deposit(id, OPENING);
            accounts.add(id);
            overdraft.put(id, limit);
        }
        UUID hot = accounts.get(0);
        long sumBefore = sumOf(accounts);
        assertEquals(ACCOUNTS * OPENING, sumBefore);

        Random random = new Random(42);
        List<TransferFunds> transfers = new ArrayList<>();
        for (int i = 0; i < TRANSFERS; i++) {
            UUID from = accounts.get(1 + random.nextInt(ACCOUNTS - 1));
            UUID to = i % 2 == 0 ? hot : accounts.get(random.nextInt(ACCOUNTS));
            if (to.equals(from)) {
                to = hot;
            }
            transfers.add(new TransferFunds(UuidV7.next(), from, to, 1 + random.nextInt(120), CURRENCY, "t" + i));
        }

        ExecutorService http = Executors.newFixedThreadPool(4);
        List<Future<Long>> withdrawals = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            withdrawals.add(http.submit(() -> withdrawFrom(hot, 400)));
        }
        List<UUID> messageIds = new ArrayList<>();
        for (int i = 0; i < transfers.size(); i++) {
            messageIds.add(ledger.send(transfers.get(i)));
            if (i % 13 == 0 && i / 13 < REDELIVERED) {
                ledger.send(transfers.get(i / 2), messageIds.get(i / 2));  // the same message again
            }
            if (i % 11 == 0 && i / 11 < RESENT) {
                ledger.send(transfers.get(i / 3));  // the same command, a new message: a sender's retry
            }
        }
        long withdrawn = 0;
        for (Future<Long> withdrawal : withdrawals) {
            withdrawn += withdrawal.get();
        }
        http.shutdown();

        Map<UUID, Reply> replies = ledger.awaitReplies(transfers.stream().map(TransferFunds::commandId).toList(),
                Duration.ofSeconds(120));

        Map<UUID, Long> expected = new HashMap<>();
        accounts.forEach(id -> expected.put(id, OPENING));
        expected.merge(hot, -withdrawn, Long::sum);
        int posted = 0;
        for (TransferFunds transfer : transfers) {
            Reply reply = replies.get(transfer.commandId());
            if (reply.type().equals("TransferPosted")) {
                posted++;
                expected.merge(transfer.fromAccountId(), -transfer.amount(), Long::sum);
                expected.merge(transfer.toAccountId(), transfer.amount(), Long::sum);
            } else {
                assertEquals("TransferRejected", reply.type());
                assertEquals("INSUFFICIENT_FUNDS", reply.reason(), reply.payload().toString());
            }
        }
        assertTrue(posted > TRANSFERS / 2, "most transfers posted: " + posted);

        assertEquals(sumBefore - withdrawn, sumOf(accounts), "money neither lost nor made");
        for (UUID id : accounts) {
            Row row = ledger.row("SELECT balance, held FROM accounts WHERE id = $1", id);
            assertEquals(expected.get(id), row.getLong("balance"), "balance of " + id + " is what its postings say");
            assertTrue(row.getLong("balance") - row.getLong("held") >= -overdraft.get(id), "within overdraft: " + id);
        }
        assertEquals(posted, ledger.single("SELECT count(*) FROM movements WHERE kind = 'TRANSFER' AND currency = $1", CURRENCY),
                "every posted transfer is one movement, duplicates none");
        assertEquals(2L * posted, ledger.single("""
                SELECT count(*) FROM journal_entries e JOIN movements m ON m.id = e.movement_id
                WHERE m.kind = 'TRANSFER' AND m.currency = $1""", CURRENCY));
        assertEquals(0L, ledger.single("""
                SELECT count(*) FROM (SELECT movement_id FROM journal_entries GROUP BY movement_id
                                      HAVING sum(amount) <> 0) unbalanced"""));

        // A command sent again (new message) got the same reply again: same event id, appended twice.
        for (int i = 0; i < RESENT; i += 37) {
            Reply reply = replies.get(transfers.get(i * 11 / 3).commandId());
            assertTrue(ledger.timesSent(reply.replyId()) >= 2, "the same reply was sent again for a resent command");
        }

        JsonPath trial = given().get("/ledger/trial-balance").then().statusCode(200).extract().jsonPath();
        assertEquals(Boolean.TRUE, trial.get("balanced"), trial.prettify());
        Map<String, Object> chf = trial.getMap("currencies.find { it.currency == 'CHF' }");
        assertEquals(chf.get("totalDebits"), chf.get("totalCredits"));
        assertEquals(0, ((List<?>) chf.get("mismatchedAccounts")).size());
    }

    /** Withdraws from the hot account over HTTP; returns the amount if it went through. */
    private long withdrawFrom(UUID account, long amount) {
        int status = given().contentType(ContentType.JSON)
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("amount", amount))
                .post("/accounts/{id}/withdrawals", account)
                .then().extract().statusCode();
        assertTrue(status == 201 || status == 422, "withdrawal answered " + status);
        return status == 201 ? amount : 0;
    }

    private long sumOf(List<UUID> accounts) {
        return pool.preparedQuery("SELECT coalesce(sum(balance), 0)::bigint FROM accounts WHERE id = ANY($1)")
                .execute(Tuple.of(accounts.toArray(UUID[]::new)))
                .await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong(0);
    }
}
