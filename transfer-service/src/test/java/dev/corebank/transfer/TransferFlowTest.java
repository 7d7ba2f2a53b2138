package dev.corebank.transfer;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corebank.messages.ledger.LedgerCommand;
import dev.corebank.outbox.CloudEvents;
import dev.corebank.testing.LiveLedger;
import dev.corebank.testing.TopicReader;
import dev.corebank.transfer.transfers.Outcome;
import dev.corebank.transfer.transfers.OutcomeWaiters;
import dev.corebank.transfer.transfers.TransferService;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Transfers through the real ledger: completed, rejected for each of the ledger's reasons, and listed. */
@QuarkusTest
class TransferFlowTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ConfigProperty(name = "corebank.transfers.topics.transfer-events")
    String transferEvents;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String databaseUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    String databaseUser;

    @Inject
    Vertx vertx;

    @Inject
    TransferService service;

    @Inject
    OutcomeWaiters waiters;

    private static LiveLedger ledger;
    private final Transfers api = new Transfers();

    @BeforeAll
    static void ledger() {
        ledger = TransferLedger.get();
    }

    @Test
    void a_waited_transfer_completes_and_moves_the_money_once() throws Exception {
        UUID from = ledger.openAccount("EUR", 10_000);
        UUID to = ledger.openAccount("EUR", 0);

        Response response = api.postAndWait(UUID.randomUUID().toString(), from, to, 2_500, "EUR", 20);

        assertEquals(200, response.statusCode(), response.asString());
        assertEquals("wait=20", response.header("Preference-Applied"));
        assertEquals("COMPLETED", response.jsonPath().getString("status"));
        String id = response.jsonPath().getString("id");
        assertEquals("/transfers/" + id, response.header("Location"));
        assertNotNull(response.jsonPath().getString("completedAt"));
        assertNull(response.jsonPath().getString("reason"));
        assertEquals(7_500, ledger.balance(from));
        assertEquals(2_500, ledger.balance(to));

        Response read = given().get("/transfers/{id}", id);
        assertEquals(200, read.statusCode());
        assertEquals("COMPLETED", read.jsonPath().getString("status"));
        assertEquals(2_500L, read.jsonPath().getLong("amount"));
        assertEquals(from.toString(), read.jsonPath().getString("fromAccountId"));

        ConsumerRecord<String, String> event = onlyEventFor(id);
        assertEquals("TransferCompleted", TopicReader.header(event, CloudEvents.TYPE));
        JsonNode payload = JSON.readTree(event.value());
        assertEquals(2_500, payload.get("amount").asLong());
    }

    @Test
    void settled_transfers_are_announced_to_other_replicas_unless_a_request_here_waits_for_them() throws Exception {
        UUID from = ledger.openAccount("EUR", 1_000);
        UUID to = ledger.openAccount("EUR", 0);
        List<String> announced = new CopyOnWriteArrayList<>();
        PgSubscriber listener = PgSubscriber.subscriber(vertx, PgConnectOptions.fromUri(databaseUrl).setUser(databaseUser));
        listener.channel(OutcomeWaiters.CHANNEL).handler(announced::add);
        listener.connect().await().atMost(Duration.ofSeconds(10));
        try {
            String waited = api.postAndWait(key(), from, to, 100, "EUR", 20).jsonPath().getString("id");
            String unwaited = api.post(key(), from, to, 200, "EUR").jsonPath().getString("id");

            // A request elsewhere may wait for the one nobody here waits for: it is announced, with its rendering.
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> announcementOf(announced, unwaited) != null);
            JsonNode rendered = JSON.readTree(announcementOf(announced, unwaited).substring(unwaited.length() + 1));
            assertEquals("COMPLETED", rendered.get("status").asText());
            assertEquals(200, rendered.get("amount").asLong());
            // The waited one was answered here, straight from the settling transaction, and announced to no one.
            assertNull(announcementOf(announced, waited), announced.toString());
        } finally {
            listener.closeAndAwait();
        }
    }

    @Test
    void a_retried_settle_wakes_a_waiter_for_a_transfer_an_earlier_attempt_settled() throws Exception {
        UUID from = ledger.openAccount("EUR", 1_000);
        UUID to = ledger.openAccount("EUR", 0);
        Response done = api.postAndWait(key(), from, to, 100, "EUR", 20);
        assertEquals(200, done.statusCode(), done.asString());
        UUID id = UUID.fromString(done.jsonPath().getString("id"));
        Instant postedAt = Instant.parse(done.jsonPath().getString("completedAt"));

        // As after a settling transaction that committed while its caller saw it fail: a request here waits,
        // and the ledger's answer is applied again, settling nothing.
        waiters.expect(id);
        CompletableFuture<Optional<String>> outcome = waiters.await(id, Duration.ofSeconds(20)).subscribeAsCompletionStage();
        int settledNow = service.settle(List.of(Outcome.completed(id, postedAt))).await().atMost(Duration.ofSeconds(10));

        assertEquals(0, settledNow, "the transfer was settled already");
        Optional<String> woken = outcome.get(30, TimeUnit.SECONDS);
        assertTrue(woken.isPresent(), "the waiter was not woken and ran out its wait");
        assertEquals("COMPLETED", JSON.readTree(woken.get()).get("status").asText());
    }

    private static String announcementOf(List<String> announced, String transferId) {
        return announced.stream().filter(payload -> payload.startsWith(transferId + " ")).findFirst().orElse(null);
    }

    @Test
    void an_accepted_transfer_is_pending_until_the_ledger_answers() throws Exception {
        UUID from = ledger.openAccount("EUR", 1_000);
        UUID to = ledger.openAccount("EUR", 0);

        Response accepted = api.post(UUID.randomUUID().toString(), from, to, 400, "EUR");

        assertEquals(202, accepted.statusCode(), accepted.asString());
        assertEquals("PENDING", accepted.jsonPath().getString("status"));
        assertNull(accepted.jsonPath().getString("completedAt"));
        String id = accepted.jsonPath().getString("id");
        assertEquals("/transfers/" + id, accepted.header("Location"));
        assertNotNull(accepted.header("RateLimit-Remaining"));
        Response done = Transfers.awaitFinal(id, Duration.ofSeconds(20));
        assertEquals("COMPLETED", done.jsonPath().getString("status"));
        assertEquals(600, ledger.balance(from));
    }

    @Test
    void the_longest_description_accepted_is_one_the_ledger_keeps() throws Exception {
        UUID from = ledger.openAccount("EUR", 1_000);
        UUID to = ledger.openAccount("EUR", 0);
        String description = "d".repeat(LedgerCommand.MAX_REFERENCE_LENGTH);
        Response done = api.request().header("Idempotency-Key", key()).header("Prefer", "wait=20")
                .body(Transfers.body(from, to, 10, "EUR").replace("\"test\"", "\"" + description + "\""))
                .post("/transfers");

        assertEquals(200, done.statusCode(), done.asString());
        assertEquals("COMPLETED", done.jsonPath().getString("status"), done.asString());
        assertEquals(description, done.jsonPath().getString("description"));
        assertEquals(990, ledger.balance(from));
    }

    @Test
    void the_ledger_s_reasons_come_back_with_rejected_transfers_and_nothing_moves() throws Exception {
        UUID from = ledger.openAccount("EUR", 1_000);
        UUID euros = ledger.openAccount("EUR", 0);
        UUID dollars = ledger.openAccount("USD", 0);

        assertRejected(api.postAndWait(key(), from, euros, 1_001, "EUR", 20), "INSUFFICIENT_FUNDS");
        assertRejected(api.postAndWait(key(), from, dollars, 10, "EUR", 20), "CURRENCY_MISMATCH");
        assertRejected(api.postAndWait(key(), from, UUID.randomUUID(), 10, "EUR", 20), "ACCOUNT_NOT_FOUND");
        assertRejected(api.postAndWait(key(), UUID.randomUUID(), euros, 10, "EUR", 20), "ACCOUNT_NOT_FOUND");

        assertEquals(1_000, ledger.balance(from));
        assertEquals(0, ledger.balance(euros));
        assertEquals(0, ledger.balance(dollars));
    }

    @Test
    void an_account_s_transfers_page_newest_first_from_either_side() throws Exception {
        UUID account = ledger.openAccount("EUR", 10_000);
        UUID other = ledger.openAccount("EUR", 10_000);
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            // Alternate sides, so the history merges both.
            Response response = i % 2 == 0
                    ? api.postAndWait(key(), account, other, 10 + i, "EUR", 20)
                    : api.postAndWait(key(), other, account, 10 + i, "EUR", 20);
            assertEquals(200, response.statusCode(), response.asString());
            made.add(0, response.jsonPath().getString("id"));
        }

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = given().queryParam("limit", 2);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            Response page = request.get("/accounts/{id}/transfers", account);
            assertEquals(200, page.statusCode(), page.asString());
            seen.addAll(page.jsonPath().getList("transfers.id", String.class));
            cursor = page.jsonPath().getString("nextCursor");
            pages++;
        } while (cursor != null && pages < 10);

        assertEquals(made, seen, "every transfer once, newest first");
        assertEquals(0, given().get("/accounts/{id}/transfers", UUID.randomUUID()).jsonPath().getList("transfers").size());
    }

    private static void assertRejected(Response response, String reason) {
        assertEquals(200, response.statusCode(), response.asString());
        assertEquals("REJECTED", response.jsonPath().getString("status"), response.asString());
        assertEquals(reason, response.jsonPath().getString("reason"), response.asString());
        assertNotNull(response.jsonPath().getString("completedAt"));
    }

    private ConsumerRecord<String, String> onlyEventFor(String transferId) {
        List<ConsumerRecord<String, String>> mine = TopicReader.readKey(bootstrap, transferEvents, transferId,
                Duration.ofSeconds(20));
        assertEquals(1, mine.size(), "one event per transfer: " + mine);
        return mine.get(0);
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }
}
