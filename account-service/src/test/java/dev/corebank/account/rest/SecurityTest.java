package dev.corebank.account.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corebank.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Who may do what to an account: every account-scoped and operator endpoint against every kind of caller.
 * Alice owns the account under test; Bob is another customer. A refusal is problem+json, names no balance,
 * and changes nothing.
 */
@QuarkusTest
class SecurityTest {

    private UUID alicesAccount;
    private String alice;

    @BeforeEach
    void aliceHasAnAccountWithMoney() {
        alice = "alice-" + UUID.randomUUID();
        alicesAccount = UUID.fromString(given().contentType("application/json")
                .body(Map.of("ownerId", alice, "currency", "EUR"))
                .post("/accounts").then().statusCode(201).extract().path("id"));
        given().contentType("application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("amount", 4_321)).post("/accounts/{id}/deposits", alicesAccount).then().statusCode(201);
    }

    @ParameterizedTest(name = "{0} {1} as {2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            GET   | /accounts/{id}                     | nobody       | 401
            GET   | /accounts/{id}                     | forged       | 401
            GET   | /accounts/{id}                     | expired      | 401
            GET   | /accounts/{id}                     | owner        | 200
            GET   | /accounts/{id}                     | other        | 404
            GET   | /accounts/{id}                     | teller       | 200
            GET   | /accounts/{id}                     | operator     | 200
            GET   | /accounts/{id}                     | service      | 200
            GET   | /accounts/{id}/entries             | nobody       | 401
            GET   | /accounts/{id}/entries             | owner        | 200
            GET   | /accounts/{id}/entries             | other        | 404
            GET   | /accounts/{id}/entries             | teller       | 200
            GET   | /accounts/{id}/entries             | operator     | 200
            GET   | /accounts/{id}/entries             | service      | 200
            PATCH | /accounts/{id}                     | nobody       | 401
            PATCH | /accounts/{id}                     | owner        | 403
            PATCH | /accounts/{id}                     | other        | 403
            PATCH | /accounts/{id}                     | teller       | 200
            PATCH | /accounts/{id}                     | operator     | 403
            PATCH | /accounts/{id}                     | service      | 403
            POST  | /accounts/{id}/deposits            | nobody       | 401
            POST  | /accounts/{id}/deposits            | owner        | 403
            POST  | /accounts/{id}/deposits            | other        | 403
            POST  | /accounts/{id}/deposits            | teller       | 201
            POST  | /accounts/{id}/deposits            | operator     | 403
            POST  | /accounts/{id}/deposits            | service      | 403
            POST  | /accounts/{id}/withdrawals         | nobody       | 401
            POST  | /accounts/{id}/withdrawals         | owner        | 403
            POST  | /accounts/{id}/withdrawals         | other        | 403
            POST  | /accounts/{id}/withdrawals         | teller       | 201
            POST  | /accounts/{id}/withdrawals         | operator     | 403
            POST  | /accounts/{id}/withdrawals         | service      | 403
            GET   | /ledger/trial-balance              | nobody       | 401
            GET   | /ledger/trial-balance              | owner        | 403
            GET   | /ledger/trial-balance              | teller       | 403
            GET   | /ledger/trial-balance              | operator     | 200
            GET   | /ledger/trial-balance              | service      | 403
            GET   | /admin/partitions                  | nobody       | 401
            GET   | /admin/partitions                  | owner        | 403
            GET   | /admin/partitions                  | teller       | 403
            GET   | /admin/partitions                  | operator     | 200
            GET   | /admin/partitions                  | service      | 403
            POST  | /admin/read-model/rebuild          | owner        | 403
            POST  | /admin/read-model/rebuild          | teller       | 403
            POST  | /admin/partitions/archive          | owner        | 403
            POST  | /admin/partitions/archive          | teller       | 403
            """)
    void every_endpoint_answers_each_caller_as_its_role_and_ownership_allow(String method, String path, String caller,
            int expected) {
        Map<String, Object> before = account();

        Response answer = as(caller).contentType("application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .header("If-Match", "\"" + before.get("version") + "\"")
                .body(body(path))
                .request(method, path.replace("{id}", alicesAccount.toString()));

        assertEquals(expected, answer.statusCode(), answer.asString());
        if (expected >= 400) {
            assertTrue(answer.contentType().startsWith("application/problem+json"), answer.contentType());
            assertEquals(expected, answer.jsonPath().getInt("status"), answer.asString());
            assertFalse(answer.asString().contains("\"balance\"") || answer.jsonPath().getString("detail").contains("4321"),
                    "a refusal never shows the balance: " + answer.asString());
            assertEquals(before, account(), "a refused request changes nothing");
        }
        if (expected == 401) {
            assertEquals("Bearer", answer.header("WWW-Authenticate"));
        }
    }

    @Test
    void a_customer_opens_accounts_only_for_itself_and_without_overdraft() {
        String bob = "bob-" + UUID.randomUUID();
        RequestSpecification asBob = given().header("Authorization", Tokens.bearer(Tokens.mint(bob, "customer")))
                .contentType("application/json");

        asBob.body(Map.of("ownerId", bob, "currency", "EUR")).post("/accounts").then().statusCode(201);
        Response forAlice = given().header("Authorization", Tokens.bearer(Tokens.mint(bob, "customer")))
                .contentType("application/json").body(Map.of("ownerId", alice, "currency", "EUR")).post("/accounts");
        Response withOverdraft = given().header("Authorization", Tokens.bearer(Tokens.mint(bob, "customer")))
                .contentType("application/json").body(Map.of("ownerId", bob, "currency", "EUR", "overdraftLimit", 500))
                .post("/accounts");
        Response asOperator = given().header("Authorization", Tokens.bearer(Tokens.mint("ops", "operator")))
                .contentType("application/json").body(Map.of("ownerId", bob, "currency", "EUR")).post("/accounts");

        assertEquals(403, forAlice.statusCode(), forAlice.asString());
        assertEquals(403, withOverdraft.statusCode(), withOverdraft.asString());
        assertEquals(403, asOperator.statusCode(), asOperator.asString());
    }

    @Test
    void operational_endpoints_stay_open_to_probes_and_scrapers() {
        given().header("Authorization", Tokens.NONE).get("/q/health/ready").then().statusCode(200);
        given().header("Authorization", Tokens.NONE).get("/q/metrics").then().statusCode(200);
    }

    private RequestSpecification as(String caller) {
        String token = switch (caller) {
            case "nobody" -> null;
            case "forged" -> Tokens.foreignIssuer(alice, "customer");
            case "expired" -> Tokens.expired(alice, "customer");
            case "owner" -> Tokens.mint(alice, "customer");
            case "other" -> Tokens.mint("bob-" + UUID.randomUUID(), "customer");
            case "teller" -> Tokens.mint("teller-1", "teller");
            case "operator" -> Tokens.mint("ops-1", "operator");
            case "service" -> Tokens.mint("transfer-service", "service");
            default -> throw new IllegalArgumentException(caller);
        };
        return given().header("Authorization", token == null ? Tokens.NONE : Tokens.bearer(token));
    }

    private static Map<String, Object> body(String path) {
        if (path.endsWith("/deposits") || path.endsWith("/withdrawals")) {
            return Map.of("amount", 21);
        }
        if (path.equals("/accounts/{id}")) {
            return Map.of("overdraftLimit", 0);
        }
        return Map.of();
    }

    private Map<String, Object> account() {
        Map<String, Object> account = given().queryParam("minVersion", Long.MAX_VALUE)
                .get("/accounts/{id}", alicesAccount).then().statusCode(200).extract().jsonPath().getMap("");
        return account;
    }
}
