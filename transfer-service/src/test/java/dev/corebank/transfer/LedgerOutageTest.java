package dev.corebank.transfer;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corebank.testing.LiveLedger;
import dev.corebank.testing.Metrics;
import dev.corebank.testing.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ledger down: requests in flight get 409 on retry, waits end in 202, and a transfer whose command was
 * lost meanwhile is recovered by the sweeper re-sending it (resend-after is 3 s in tests) once the ledger is
 * back, moving the money exactly once.
 */
@QuarkusTest
class LedgerOutageTest {

    @Inject
    Pool pool;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private static LiveLedger ledger;
    private final Transfers api = new Transfers();

    @BeforeAll
    static void ledger() {
        ledger = TransferLedger.get();
    }

    @Test
    void a_transfer_whose_command_was_lost_while_the_ledger_was_down_completes_through_the_sweeper() throws Exception {
        UUID from = ledger.openAccount("EUR", 5_000);
        UUID to = ledger.openAccount("EUR", 0);
        String key = UUID.randomUUID().toString();
        double resentBefore = Metrics.sum("transfers_commands_resent_total");
        ledger.kill();
        try {
            // A request waiting for its outcome is in flight: a retry with its key gets 409 meanwhile.
            CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(() -> api.postAndWait(key, from, to, 1_200, "EUR", 3));
            await().atMost(Duration.ofSeconds(3)).until(() ->
                    Transfers.count(pool, "SELECT count(*) FROM transfers WHERE from_account_id = $1", from) == 1);
            Response retry = api.postAndWait(key, from, to, 1_200, "EUR", 3);
            assertEquals(409, retry.statusCode(), retry.asString());
            assertTrue(retry.jsonPath().getString("type").endsWith("/request-in-flight"));

            Response first = waiting.get();
            assertEquals(202, first.statusCode(), "no outcome within the wait: " + first.asString());
            assertEquals("PENDING", first.jsonPath().getString("status"));
            Response replay = api.postAndWait(key, from, to, 1_200, "EUR", 3);
            assertEquals(202, replay.statusCode());
            assertEquals(first.asString(), replay.asString(), "once answered, the key replays that answer");

            // The command reached the topic; then it is lost (as if retention had run out while the ledger was down).
            String id = first.jsonPath().getString("id");
            TopicReader.readKey(bootstrap, ledger.commandsTopic(), from.toString(), Duration.ofSeconds(20));
            deleteEverythingOn(ledger.commandsTopic());

            await().atMost(Duration.ofSeconds(20)).until(() -> Transfers.count(pool,
                    "SELECT send_count FROM transfers WHERE id = $1", UUID.fromString(id)) >= 2);
            // Counted once the sweep's transaction committed, a moment after the row shows it.
            await().alias("the re-send is counted in transfers_commands_resent_total")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> Metrics.sum("transfers_commands_resent_total") > resentBefore);
            assertEquals("PENDING", given().get("/transfers/{id}", id).jsonPath().getString("status"));
        } finally {
            ledger.restart();
        }

        Response done = Transfers.awaitFinal(given().get("/accounts/{id}/transfers", from).jsonPath().getString("transfers[0].id"),
                Duration.ofSeconds(60));
        assertEquals("COMPLETED", done.jsonPath().getString("status"), done.asString());
        assertEquals(3_800, ledger.balance(from), "moved exactly once, however often the command was sent");
        assertEquals(1_200, ledger.balance(to));
        assertEquals(2, ledger.entries(from).size(), "the deposit and one transfer");
    }

    private void deleteEverythingOn(String topic) throws Exception {
        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(config)) {
            int partitions = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<TopicPartition, RecordsToDelete> upTo = admin.listOffsets(latest).all().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> RecordsToDelete.beforeOffset(e.getValue().offset())));
            admin.deleteRecords(upTo).all().get();
        }
    }

}
