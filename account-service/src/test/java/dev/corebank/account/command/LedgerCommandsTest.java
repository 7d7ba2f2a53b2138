package dev.corebank.account.command;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corebank.account.LedgerTestSupport;
import dev.corebank.account.LedgerTestSupport.Reply;
import dev.corebank.messages.ledger.LedgerCommand.CaptureHold;
import dev.corebank.messages.ledger.LedgerCommand.PlaceHold;
import dev.corebank.messages.ledger.LedgerCommand.TransferFunds;
import dev.corebank.messages.ledger.LedgerCommand.VoidHold;
import dev.corebank.outbox.CloudEvents;
import dev.corebank.platform.id.UuidV7;
import dev.corebank.testing.TopicReader;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Commands through the real topic: each reply, each rejection reason, holds resolving exactly once. */
@QuarkusTest
class LedgerCommandsTest {

    @Inject
    LedgerTestSupport ledger;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void a_transfer_is_posted_and_answered_once_however_often_it_arrives() {
        UUID alice = funded(1_000);
        UUID bob = ledger.open("EUR", 0);
        TransferFunds transfer = new TransferFunds(UuidV7.next(), alice, bob, 250, "EUR", "rent");

        UUID message = ledger.send(transfer);
        ledger.send(transfer, message);  // redelivered
        ledger.send(transfer);           // re-sent by its sender
        Reply reply = ledger.awaitReply(transfer.commandId());
        LedgerTestSupport.sleep(1_000);  // let the repeats arrive too

        assertEquals("TransferPosted", reply.type());
        assertEquals(750, balance(alice));
        assertEquals(250, balance(bob));
        assertEquals(1L, ledger.single("SELECT count(*) FROM movements WHERE id = $1", transfer.commandId()));
        assertEquals(2L, ledger.timesSent(reply.replyId()), "the re-sent command got the same reply (same id) again");
        assertEquals(transfer.commandId().toString(),
                ledger.row("SELECT aggregate_id FROM outbox WHERE id = $1 LIMIT 1", reply.replyId()).getString("aggregate_id"),
                "transfer replies are keyed by the command id");
    }

    @Test
    void rejections_name_the_ledgers_reason() {
        UUID alice = funded(100);
        UUID bob = ledger.open("EUR", 0);
        UUID dollars = ledger.open("USD", 0);
        UUID frozen = ledger.open("EUR", 0);
        given().contentType(ContentType.JSON).header("If-Match", "\"0\"").body(Map.of("status", "FROZEN"))
                .patch("/accounts/{id}", frozen).then().statusCode(200);

        Map<String, TransferFunds> cases = Map.of(
                "INSUFFICIENT_FUNDS", new TransferFunds(UuidV7.next(), alice, bob, 101, "EUR", null),
                "ACCOUNT_NOT_FOUND", new TransferFunds(UuidV7.next(), alice, UUID.randomUUID(), 1, "EUR", null),
                "ACCOUNT_NOT_OPEN", new TransferFunds(UuidV7.next(), alice, frozen, 1, "EUR", null),
                "CURRENCY_MISMATCH", new TransferFunds(UuidV7.next(), alice, dollars, 1, "EUR", null),
                "SAME_ACCOUNT", new TransferFunds(UuidV7.next(), alice, alice, 1, "EUR", null),
                "INVALID_AMOUNT", new TransferFunds(UuidV7.next(), alice, bob, 0, "EUR", null),
                // Longer than the journal keeps: answered, not left to fail its batch and every retry.
                "INVALID_REFERENCE", new TransferFunds(UuidV7.next(), alice, bob, 1, "EUR", "r".repeat(141)));
        cases.values().forEach(ledger::send);
        Map<UUID, Reply> replies = ledger.awaitReplies(cases.values().stream().map(TransferFunds::commandId).toList(),
                Duration.ofSeconds(30));

        cases.forEach((reason, command) -> {
            Reply reply = replies.get(command.commandId());
            assertEquals("TransferRejected", reply.type(), reason);
            assertEquals(reason, reply.reason());
        });
        assertEquals(100, balance(alice), "nothing moved");
    }

    @Test
    void holds_are_captured_partially_captured_voided_or_expire_each_exactly_once() {
        UUID customer = funded(1_000);
        UUID shop = ledger.open("EUR", 0);
        UUID full = UUID.randomUUID();
        UUID partial = UUID.randomUUID();
        UUID voided = UUID.randomUUID();
        UUID expiring = UUID.randomUUID();
        Instant later = Instant.now().plusSeconds(600);

        Map<UUID, Reply> placed = run(
                new PlaceHold(UuidV7.next(), full, customer, shop, 100, "EUR", later, "order 1"),
                new PlaceHold(UuidV7.next(), partial, customer, shop, 200, "EUR", later, "order 2"),
                new PlaceHold(UuidV7.next(), voided, customer, shop, 300, "EUR", later, "order 3"),
                new PlaceHold(UuidV7.next(), expiring, customer, shop, 50, "EUR", Instant.now().plusSeconds(2), "order 4"));
        placed.values().forEach(reply -> assertEquals("HoldPlaced", reply.type(), reply.payload().toString()));
        Row held = ledger.row("SELECT balance, held FROM accounts WHERE id = $1", customer);
        assertEquals(1_000, held.getLong("balance"));
        assertEquals(650, held.getLong("held"));
        Reply tooMuch = only(new PlaceHold(UuidV7.next(), UUID.randomUUID(), customer, shop, 351, "EUR", later, null));
        assertEquals("INSUFFICIENT_FUNDS", tooMuch.reason(), "only 350 is still available");
        // A hold id already taken, here by a hold between other accounts, is refused: not a batch retried forever.
        UUID stranger = funded(500);
        assertEquals("HOLD_EXISTS", only(new PlaceHold(UuidV7.next(), full, stranger, shop, 10, "EUR", later, null)).reason());
        assertEquals(500, balance(stranger), "nothing held or moved");

        CaptureHold captureFull = new CaptureHold(UuidV7.next(), full, 100);
        CaptureHold capturePart = new CaptureHold(UuidV7.next(), partial, 120);
        VoidHold voidIt = new VoidHold(UuidV7.next(), voided);
        Map<UUID, Reply> resolved = run(captureFull, capturePart, voidIt);
        assertEquals("HoldCaptured", resolved.get(captureFull.commandId()).type());
        assertEquals(80, resolved.get(capturePart.commandId()).payload().get("releasedAmount").asLong());
        assertEquals("HoldVoided", resolved.get(voidIt.commandId()).type());

        // A second resolution of any of them is refused and moves nothing; a captured hold says so, so that a
        // sender whose capture answer was lost learns from its void's refusal that the money moved.
        assertEquals("HOLD_ALREADY_CAPTURED", only(new CaptureHold(UuidV7.next(), full, 1)).reason());
        assertEquals("HOLD_ALREADY_CAPTURED", only(new VoidHold(UuidV7.next(), partial)).reason());
        assertEquals("HOLD_ALREADY_RESOLVED", only(new CaptureHold(UuidV7.next(), voided, 300)).reason());
        assertEquals("HOLD_NOT_FOUND", only(new VoidHold(UuidV7.next(), UUID.randomUUID())).reason());

        awaitStatus(expiring, "EXPIRED");
        assertEquals("HOLD_ALREADY_RESOLVED", only(new CaptureHold(UuidV7.next(), expiring, 50)).reason());
        assertEquals(1L, ledger.single("""
                SELECT count(*) FROM outbox WHERE event_type = 'HoldExpired' AND aggregate_id = $1""", expiring.toString()));

        Row after = ledger.row("SELECT balance, held FROM accounts WHERE id = $1", customer);
        assertEquals(1_000 - 100 - 120, after.getLong("balance"));
        assertEquals(0, after.getLong("held"), "every hold released");
        assertEquals(220, balance(shop));
        assertEquals("CAPTURED", status(full));
        assertEquals("CAPTURED", status(partial));
        assertEquals("VOIDED", status(voided));
        assertEquals(2L, ledger.single("SELECT count(*) FROM movements WHERE kind = 'HOLD_CAPTURE' AND id = ANY($1)",
                (Object) new UUID[] {captureFull.commandId(), capturePart.commandId()}));
    }

    @Test
    void a_command_that_cannot_be_read_goes_to_the_dead_letter_topic_and_the_rest_flows() {
        String poison = "poison-" + UUID.randomUUID();
        ledger.sendRaw(poison, "{\"commandId\": \"not-a-uuid\"}", Map.of(CloudEvents.ID, UuidV7.next().toString(),
                CloudEvents.TYPE, "TransferFunds", CloudEvents.SOURCE, CloudEvents.sourceOf("transfers")));
        ledger.sendRaw(poison + "-type", "{}", Map.of(CloudEvents.ID, UuidV7.next().toString(), CloudEvents.TYPE, "Nonsense"));
        UUID alice = funded(10);
        TransferFunds after = new TransferFunds(UuidV7.next(), alice, ledger.open("EUR", 0), 10, "EUR", null);
        ledger.send(after);

        assertEquals("TransferPosted", ledger.awaitReply(after.commandId()).type(), "the partition kept flowing");
        List<ConsumerRecord<String, String>> dead = TopicReader.read(bootstrap, ledger.commandTopic() + ".dlt",
                "dlt-reader-" + UUID.randomUUID(), 2, Duration.ofSeconds(30)).stream()
                .filter(record -> record.key().startsWith(poison))
                .sorted(java.util.Comparator.comparing(ConsumerRecord::key))
                .toList();
        assertEquals(2, dead.size());
        assertTrue(TopicReader.header(dead.get(0), "dead-letter-reason").contains("does not parse"),
                TopicReader.header(dead.get(0), "dead-letter-reason"));
        assertTrue(TopicReader.header(dead.get(1), "dead-letter-reason").contains("unknown ledger command type"),
                TopicReader.header(dead.get(1), "dead-letter-reason"));
    }

    private Map<UUID, Reply> run(dev.corebank.messages.ledger.LedgerCommand... commands) {
        for (var command : commands) {
            ledger.send(command);
        }
        return ledger.awaitReplies(java.util.Arrays.stream(commands).map(c -> c.commandId()).toList(), Duration.ofSeconds(30));
    }

    private Reply only(dev.corebank.messages.ledger.LedgerCommand command) {
        ledger.send(command);
        return ledger.awaitReply(command.commandId());
    }

    private UUID funded(long amount) {
        UUID id = ledger.open("EUR", 0);
        ledger.deposit(id, amount);
        return id;
    }

    private long balance(UUID account) {
        return ledger.single("SELECT balance FROM accounts WHERE id = $1", account);
    }

    private String status(UUID hold) {
        return ledger.row("SELECT status FROM holds WHERE id = $1", hold).getString("status");
    }

    private void awaitStatus(UUID hold, String status) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!status.equals(status(hold))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("hold " + hold + " is still " + status(hold));
            }
            LedgerTestSupport.sleep(200);
        }
    }
}
