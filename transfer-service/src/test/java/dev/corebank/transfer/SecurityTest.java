package dev.corebank.transfer;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corebank.messages.ledger.AccountChanged;
import dev.corebank.testing.LiveLedger;
import dev.corebank.testing.Tokens;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Who may move money from and read the transfers of an account, with the real ledger deciding ownership
 * (account-service answers only an account's owner): alice owns the source account, carol the destination,
 * bob neither. A refusal is problem+json, writes nothing, and takes nothing from the account's rate limit.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityTest {

    @Inject
    Pool pool;

    @Inject
    RedisDataSource redis;

    private final String alice = "alice-" + UUID.randomUUID();
    private final String carol = "carol-" + UUID.randomUUID();
    private final String bob = "bob-" + UUID.randomUUID();
    private UUID alicesAccount;
    private UUID carolsAccount;
    private String transferId;

    /** Once per class, but per test: RestAssured knows the app's port only from the first test on. */
    @BeforeEach
    void aliceHasPaidCarol() throws Exception {
        if (transferId != null) {
            return;
        }
        LiveLedger ledger = TransferLedger.get();
        alicesAccount = ledger.openAccount(alice, "EUR", 10_000);
        carolsAccount = ledger.openAccount(carol, "EUR", 0);
        Response paid = transfer(as("alice"), alicesAccount, carolsAccount, 100);
        assertEquals(202, paid.statusCode(), paid.asString());
        transferId = paid.jsonPath().getString("id");
    }

    @ParameterizedTest(name = "{0} {1} as {2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            POST | /transfers                      | nobody   | 401
            POST | /transfers                      | expired  | 401
            POST | /transfers                      | alice    | 202
            POST | /transfers                      | bob      | 404
            POST | /transfers                      | carol    | 404
            POST | /transfers                      | teller   | 202
            POST | /transfers                      | operator | 403
            POST | /transfers                      | service  | 403
            GET  | /transfers/{transfer}           | nobody   | 401
            GET  | /transfers/{transfer}           | alice    | 200
            GET  | /transfers/{transfer}           | carol    | 200
            GET  | /transfers/{transfer}           | bob      | 404
            GET  | /transfers/{transfer}           | teller   | 200
            GET  | /transfers/{transfer}           | operator | 200
            GET  | /transfers/{transfer}           | service  | 200
            GET  | /accounts/{account}/transfers   | nobody   | 401
            GET  | /accounts/{account}/transfers   | alice    | 200
            GET  | /accounts/{account}/transfers   | carol    | 404
            GET  | /accounts/{account}/transfers   | bob      | 404
            GET  | /accounts/{account}/transfers   | teller   | 200
            GET  | /accounts/{account}/transfers   | operator | 200
            GET  | /accounts/{account}/transfers   | service  | 200
            """)
    void every_endpoint_answers_each_caller_as_its_role_and_ownership_allow(String method, String path, String caller,
            int expected) {
        long transfersBefore = transfersFromAlice();

        Response answer = method.equals("POST")
                ? transfer(as(caller), alicesAccount, carolsAccount, 1)
                : as(caller).get(path.replace("{transfer}", transferId).replace("{account}", alicesAccount.toString()));

        assertEquals(expected, answer.statusCode(), answer.asString());
        if (expected >= 400) {
            assertTrue(answer.contentType().startsWith("application/problem+json"), answer.contentType());
            assertFalse(answer.asString().contains("balance"), answer.asString());
            assertEquals(transfersBefore, transfersFromAlice(), "a refused request writes nothing");
        }
    }

    @Test
    void someone_elses_requests_take_nothing_from_an_accounts_rate_limit() {
        Response first = transfer(as("alice"), alicesAccount, carolsAccount, 1);
        assertEquals(202, first.statusCode(), first.asString());
        int remaining = Integer.parseInt(first.header("RateLimit-Remaining"));

        // More than the account's whole bucket: had they counted, alice would now be limited.
        for (int i = 0; i < 20; i++) {
            assertEquals(404, transfer(as("bob"), alicesAccount, carolsAccount, 1).statusCode());
        }

        assertFalse(redis.key().exists("corebank:ratelimit:client:sub:" + bob), "bob's refused requests used no bucket");
        Response next = transfer(as("alice"), alicesAccount, carolsAccount, 1);
        assertEquals(202, next.statusCode(), next.asString());
        assertTrue(Integer.parseInt(next.header("RateLimit-Remaining")) >= remaining - 1,
                "alice's account bucket lost only her own request: " + remaining + " then " + next.header("RateLimit-Remaining"));
    }

    @Test
    void the_recipient_of_a_refused_transfer_does_not_learn_the_senders_balance() throws Exception {
        Response refused = as("alice").contentType("application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                .header("Prefer", "wait=20").body(Transfers.body(alicesAccount, carolsAccount, 9_999_999, "EUR"))
                .post("/transfers");
        assertEquals("REJECTED", refused.jsonPath().getString("status"), refused.asString());
        String available = Long.toString(TransferLedger.get().available(alicesAccount));

        Response seenByCarol = as("carol").get("/transfers/" + refused.jsonPath().getString("id"));

        assertEquals(200, seenByCarol.statusCode(), seenByCarol.asString());
        assertEquals("INSUFFICIENT_FUNDS", seenByCarol.jsonPath().getString("reason"));
        String detail = String.valueOf(seenByCarol.jsonPath().getString("detail")).replace(alicesAccount.toString(), "");
        assertFalse(detail.contains(available), "alice's available " + available + " in " + seenByCarol.asString());
    }

    @Test
    void a_forged_read_model_entry_naming_bob_the_owner_moves_nothing() throws Exception {
        // An account of alice's this process has never looked up, so nothing here remembers its owner.
        UUID savings = TransferLedger.get().openAccount(alice, "EUR", 5_000);
        AccountChanged forged = new AccountChanged(savings, bob, "EUR", 5_000, 5_000, 0, "OPEN", 1_000_000);
        redis.hash(String.class).hset("corebank:account:" + savings,
                Map.of("version", "1000000", "state", new ObjectMapper().writeValueAsString(forged)));

        Response stolen = transfer(as("bob"), savings, carolsAccount, 5_000);

        assertEquals(404, stolen.statusCode(), stolen.asString());
        assertEquals(0, Transfers.count(pool, "SELECT count(*) FROM transfers WHERE from_account_id = $1", savings),
                "nothing was written");
        assertEquals(5_000, TransferLedger.get().available(savings), "nothing moved");
        Response own = transfer(as("alice"), savings, carolsAccount, 1);
        assertEquals(202, own.statusCode(), "the owner still moves her money: " + own.asString());
    }

    @Test
    void equal_idempotency_keys_of_two_callers_never_meet() {
        String key = UUID.randomUUID().toString();
        Response alices = as("alice").contentType("application/json").header("Idempotency-Key", key)
                .body(Transfers.body(alicesAccount, carolsAccount, 3, "EUR")).post("/transfers");
        Response tellers = as("teller").contentType("application/json").header("Idempotency-Key", key)
                .body(Transfers.body(alicesAccount, carolsAccount, 3, "EUR")).post("/transfers");

        assertEquals(202, alices.statusCode(), alices.asString());
        assertEquals(202, tellers.statusCode(), tellers.asString());
        assertFalse(alices.jsonPath().getString("id").equals(tellers.jsonPath().getString("id")));
    }

    private long transfersFromAlice() {
        return Transfers.count(pool, "SELECT count(*) FROM transfers WHERE from_account_id = $1", alicesAccount);
    }

    private static Response transfer(RequestSpecification request, UUID from, UUID to, long amount) {
        return request.contentType("application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Transfers.body(from, to, amount, "EUR")).post("/transfers");
    }

    private RequestSpecification as(String caller) {
        String token = switch (caller) {
            case "nobody" -> null;
            case "expired" -> Tokens.expired(alice, "customer");
            case "alice" -> Tokens.mint(alice, "customer");
            case "bob" -> Tokens.mint(bob, "customer");
            case "carol" -> Tokens.mint(carol, "customer");
            case "teller" -> Tokens.mint("teller-" + UUID.randomUUID(), "teller");
            case "operator" -> Tokens.mint("ops-1", "operator");
            case "service" -> Tokens.mint("order-saga-service", "service");
            default -> throw new IllegalArgumentException(caller);
        };
        return given().header("Authorization", token == null ? Tokens.NONE : Tokens.bearer(token));
    }
}
