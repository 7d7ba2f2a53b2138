package dev.corebank.transfer;

import dev.corebank.testing.BadInputContract.Case;
import dev.corebank.testing.BadInputContract;
import dev.corebank.testing.Tokens;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import static io.restassured.RestAssured.given;

/**
 * A corpus of bad requests: each gets a 4xx {@code application/problem+json} and writes nothing: no
 * transfer, no key, no outbox row, and no rate-limit token taken from the account or the client.
 */
@QuarkusTest
class BadInputTest {

    private static final String JSON = "application/json";

    @Inject
    Pool pool;

    @Inject
    RedisDataSource redis;

    private final String client = "bad-input-" + UUID.randomUUID();
    private final String token = Tokens.mint(client, "teller");
    private final UUID from = UUID.randomUUID();
    private final UUID to = UUID.randomUUID();

    @TestFactory
    Stream<DynamicTest> every_bad_request_is_a_4xx_problem_and_writes_nothing() {
        String valid = Transfers.body(from, to, 100, "EUR");
        List<Case> corpus = new ArrayList<>();
        // Idempotency-Key and the other headers
        corpus.add(new Case("missing Idempotency-Key", 400, () -> request().body(valid).post("/transfers")));
        corpus.add(new Case("empty Idempotency-Key", 400, () -> post("", valid)));
        corpus.add(new Case("Idempotency-Key too long", 400, () -> post("k".repeat(256), valid)));
        corpus.add(new Case("Idempotency-Key with spaces", 400, () -> post("two words", valid)));
        corpus.add(new Case("Idempotency-Key not ASCII", 400, () -> post("clé", valid)));
        corpus.add(new Case("Prefer: wait not a number", 400, () -> post(key(), valid, "Prefer", "wait=soon")));
        corpus.add(new Case("Prefer: wait negative", 400, () -> post(key(), valid, "Prefer", "wait=-1")));
        // Who asks: a request nobody can be held to is refused before anything else
        corpus.add(new Case("no bearer token", 401, () -> given().contentType(JSON).header("Authorization", Tokens.NONE)
                .header("Idempotency-Key", key()).body(valid).post("/transfers")));
        corpus.add(new Case("expired token", 401, () -> given().contentType(JSON)
                .header("Authorization", Tokens.bearer(Tokens.expired(client, "teller")))
                .header("Idempotency-Key", key()).body(valid).post("/transfers")));
        corpus.add(new Case("token of another issuer", 401, () -> given().contentType(JSON)
                .header("Authorization", Tokens.bearer(Tokens.foreignIssuer(client, "teller")))
                .header("Idempotency-Key", key()).body(valid).post("/transfers")));
        corpus.add(new Case("token that is not a JWT", 401, () -> given().contentType(JSON)
                .header("Authorization", "Bearer not-a-token").header("Idempotency-Key", key()).body(valid).post("/transfers")));
        corpus.add(new Case("role that moves no money", 403, () -> given().contentType(JSON)
                .header("Authorization", Tokens.bearer(Tokens.mint(client, "operator")))
                .header("Idempotency-Key", key()).body(valid).post("/transfers")));
        // The body as a whole
        corpus.add(new Case("empty body", 400, () -> post(key(), "")));
        corpus.add(new Case("JSON null", 400, () -> post(key(), "null")));
        corpus.add(new Case("not JSON", 400, () -> post(key(), "from=a&to=b")));
        corpus.add(new Case("malformed JSON", 400, () -> post(key(), "{\"fromAccountId\": ")));
        corpus.add(new Case("JSON array", 400, () -> post(key(), "[" + valid + "]")));
        corpus.add(new Case("trailing garbage", 400, () -> post(key(), valid + " {}")));
        corpus.add(new Case("unknown field", 400, () -> post(key(), valid.replace("}", ",\"status\":\"COMPLETED\"}"))));
        corpus.add(new Case("duplicate field", 400, () -> post(key(), valid.replace("}", ",\"amount\":100000}"))));
        corpus.add(new Case("wrong content type", 415, () -> request().header("Idempotency-Key", key())
                .contentType("text/plain").body(valid).post("/transfers")));
        corpus.add(new Case("oversize body", 413, () -> post(key(), valid.replace("\"test\"", "\"" + "d".repeat(40_000) + "\""))));
        // Fields
        corpus.add(new Case("missing fromAccountId", 400, () -> post(key(), "{\"toAccountId\":\"" + to + "\",\"amount\":1,\"currency\":\"EUR\"}")));
        corpus.add(new Case("missing toAccountId", 400, () -> post(key(), "{\"fromAccountId\":\"" + from + "\",\"amount\":1,\"currency\":\"EUR\"}")));
        corpus.add(new Case("missing amount", 400, () -> post(key(), valid.replace("\"amount\":100,", ""))));
        corpus.add(new Case("missing currency", 400, () -> post(key(), valid.replace(",\"currency\":\"EUR\"", ""))));
        corpus.add(new Case("malformed fromAccountId", 400, () -> post(key(), valid.replace(from.toString(), "not-a-uuid"))));
        corpus.add(new Case("toAccountId as a number", 400, () -> post(key(), valid.replace("\"" + to + "\"", "42"))));
        corpus.add(new Case("same account on both sides", 400, () -> post(key(), Transfers.body(from, from, 100, "EUR"))));
        corpus.add(new Case("zero amount", 400, () -> post(key(), Transfers.body(from, to, 0, "EUR"))));
        corpus.add(new Case("negative amount", 400, () -> post(key(), Transfers.body(from, to, -100, "EUR"))));
        corpus.add(new Case("fractional amount", 400, () -> post(key(), valid.replace("\"amount\":100", "\"amount\":100.5"))));
        corpus.add(new Case("amount as a string", 400, () -> post(key(), valid.replace("\"amount\":100", "\"amount\":\"100\""))));
        corpus.add(new Case("null amount", 400, () -> post(key(), valid.replace("\"amount\":100", "\"amount\":null"))));
        corpus.add(new Case("amount over the maximum", 400, () -> post(key(), Transfers.body(from, to, 1_000_000_000_001L, "EUR"))));
        corpus.add(new Case("amount overflowing a long", 400, () -> post(key(),
                valid.replace("\"amount\":100", "\"amount\":9223372036854775808"))));
        corpus.add(new Case("lower-case currency", 400, () -> post(key(), Transfers.body(from, to, 100, "eur"))));
        corpus.add(new Case("four-letter currency", 400, () -> post(key(), Transfers.body(from, to, 100, "EURO"))));
        corpus.add(new Case("unknown currency", 400, () -> post(key(), Transfers.body(from, to, 100, "ZZZ"))));
        corpus.add(new Case("description over the ledger's 140 characters", 400, () -> post(key(),
                valid.replace("\"test\"", "\"" + "d".repeat(141) + "\""))));
        corpus.add(new Case("description with a NUL character", 400, () -> post(key(), valid.replace("\"test\"", "\"a\\u0000b\""))));
        // Reads
        corpus.add(new Case("malformed transfer id", 400, () -> given().get("/transfers/{id}", "12345")));
        corpus.add(new Case("unknown transfer", 404, () -> given().get("/transfers/{id}", UUID.randomUUID())));
        corpus.add(new Case("malformed account id", 400, () -> given().get("/accounts/{id}/transfers", "nope")));
        corpus.add(new Case("limit zero", 400, () -> given().queryParam("limit", 0).get("/accounts/{id}/transfers", from)));
        corpus.add(new Case("limit too large", 400, () -> given().queryParam("limit", 501).get("/accounts/{id}/transfers", from)));
        corpus.add(new Case("limit not a number", 400, () -> given().queryParam("limit", "ten").get("/accounts/{id}/transfers", from)));
        corpus.add(new Case("forged cursor", 400, () -> given().queryParam("cursor", "bm90LWEtY3Vyc29y").get("/accounts/{id}/transfers", from)));
        // "+294277-01-05T00:00:00Z|<uuid>": a valid instant, past what PostgreSQL's timestamptz holds
        corpus.add(new Case("cursor beyond the database's time range", 400, () -> given().queryParam("cursor",
                "KzI5NDI3Ny0wMS0wNVQwMDowMDowMFp8MDE4OTBhNWQtYWM5Ni03NzRiLWJjY2UtYjMwMjA5OWE4MDU3").get("/accounts/{id}/transfers", from)));
        corpus.add(new Case("wrong method", 405, () -> given().delete("/transfers/{id}", UUID.randomUUID())));
        corpus.add(new Case("unknown path", 404, () -> given().get("/transfers/{id}/refund", UUID.randomUUID())));

        return BadInputContract.check(corpus, this::snapshot);
    }

    private RequestSpecification request() {
        return given().contentType(JSON).header("Authorization", Tokens.bearer(token));
    }

    private Response post(String key, String body, String... headers) {
        RequestSpecification request = request().header("Idempotency-Key", key);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return request.body(body).post("/transfers");
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }

    private Snapshot snapshot() {
        return new Snapshot(
                Transfers.count(pool, "SELECT count(*) FROM transfers"),
                Transfers.count(pool, "SELECT count(*) FROM idempotency_keys"),
                Transfers.count(pool, "SELECT count(*) FROM outbox"),
                redis.key().exists("corebank:ratelimit:account:" + from),
                redis.key().exists("corebank:ratelimit:client:sub:" + client));
    }


    private record Snapshot(long transfers, long keys, long outbox, boolean accountBucket, boolean clientBucket) {
    }
}
