package dev.corebank.account.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corebank.account.LedgerTestSupport;
import dev.corebank.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * "bank" owns the bank's own accounts (each currency's cash account). A customer token whose subject is
 * "bank" reads none of them, and no account is opened for "bank" over the API, by anyone.
 */
@QuarkusTest
class ReservedOwnerTest {

    @Inject
    LedgerTestSupport ledger;

    @Inject
    Pool pool;

    @Test
    void a_customer_named_bank_gets_nothing_of_the_banks_accounts() {
        ledger.open("EUR", 0);  // the EUR cash account exists from the first EUR account on
        UUID cash = pool.query("SELECT id FROM accounts WHERE kind = 'SYSTEM' AND currency = 'EUR'").execute()
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getUUID("id");

        assertEquals(404, as(Tokens.mint("bank", "customer")).get("/accounts/{id}", cash).statusCode());
        assertEquals(404, as(Tokens.mint("bank", "customer")).get("/accounts/{id}/entries", cash).statusCode());
        Response asTeller = as(Tokens.mint("teller-1", "teller")).get("/accounts/{id}", cash);
        assertEquals(200, asTeller.statusCode(), asTeller.asString());
        assertEquals("bank", asTeller.jsonPath().getString("ownerId"));
    }

    @Test
    void no_account_is_opened_for_bank() {
        long before = banksAccounts();
        for (String token : new String[] {Tokens.mint("teller-1", "teller"), Tokens.mint("bank", "customer")}) {
            Response refused = as(token).contentType("application/json")
                    .body(Map.of("ownerId", "bank", "currency", "EUR", "overdraftLimit", 0)).post("/accounts");

            assertEquals(400, refused.statusCode(), refused.asString());
            assertTrue(refused.contentType().startsWith("application/problem+json"), refused.contentType());
            assertTrue(refused.asString().contains("ownerId"), refused.asString());
        }
        assertEquals(before, banksAccounts(), "nothing was opened");
    }

    private long banksAccounts() {
        return pool.query("SELECT count(*) FROM accounts WHERE owner_id = 'bank'").execute()
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }

    private static RequestSpecification as(String token) {
        return given().header("Authorization", Tokens.bearer(token));
    }
}
