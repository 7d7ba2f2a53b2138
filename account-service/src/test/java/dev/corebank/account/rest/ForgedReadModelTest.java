package dev.corebank.account.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corebank.account.LedgerTestSupport;
import dev.corebank.messages.ledger.AccountChanged;
import dev.corebank.testing.Metrics;
import dev.corebank.testing.Tokens;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Redis is a cache anyone with access to it can write: a copy of an account that names another owner, with a
 * version raised so it would win every freshness check, gives its author nothing. Who may read an account
 * is decided on PostgreSQL's owner; the forged copy is served to nobody, and replaced.
 */
@QuarkusTest
class ForgedReadModelTest {

    @Inject
    LedgerTestSupport ledger;

    @Inject
    RedisDataSource redis;

    @Inject
    ObjectMapper json;

    @Test
    void a_copy_naming_another_owner_gives_its_author_nothing_and_is_not_served() throws Exception {
        String alice = "alice-" + UUID.randomUUID();
        String mallory = "mallory-" + UUID.randomUUID();
        String id = as(Tokens.mint("teller-1", "teller")).contentType("application/json")
                .body(Map.of("ownerId", alice, "currency", "EUR", "overdraftLimit", 0))
                .post("/accounts").then().statusCode(201).extract().path("id");
        UUID account = UUID.fromString(id);
        ledger.deposit(account, 500);
        double untrustedBefore = Metrics.sum("accounts_read_model_untrusted_total");

        AccountChanged forged = new AccountChanged(account, mallory, "EUR", 999_999, 999_999, 0, "OPEN", 1_000);
        redis.hash(String.class).hset("corebank:account:" + account,
                Map.of("version", "1000", "state", json.writeValueAsString(forged)));

        Response asMallory = as(Tokens.mint(mallory, "customer")).get("/accounts/{id}", account);
        assertEquals(404, asMallory.statusCode(), asMallory.asString());
        assertEquals(404, as(Tokens.mint(mallory, "customer")).get("/accounts/{id}/entries", account).statusCode());

        Response asAlice = as(Tokens.mint(alice, "customer")).get("/accounts/{id}", account);
        assertEquals(200, asAlice.statusCode(), asAlice.asString());
        assertEquals(alice, asAlice.jsonPath().getString("ownerId"));
        assertEquals(500, asAlice.jsonPath().getLong("balance"), "PostgreSQL's balance, not the forged one");
        assertEquals("database", asAlice.header("X-Read-Source"));
        assertEquals(asAlice.jsonPath().getString("version"), redis.hash(String.class).hget("corebank:account:" + account, "version"),
                "the forged copy was replaced by PostgreSQL's state");
        assertEquals(200, as(Tokens.mint(alice, "customer")).get("/accounts/{id}/entries", account).statusCode());

        Response asTeller = as(Tokens.mint("teller-1", "teller")).get("/accounts/{id}", account);
        assertEquals(alice, asTeller.jsonPath().getString("ownerId"), "nobody is served the forged copy");
        assertTrue(Metrics.sum("accounts_read_model_untrusted_total") >= untrustedBefore + 1, "the forged copy is counted");
    }

    private static RequestSpecification as(String token) {
        return given().header("Authorization", Tokens.bearer(token));
    }

}
