package dev.corebank.account.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corebank.account.LedgerTestSupport;
import dev.corebank.messages.ledger.LedgerCommand;
import dev.corebank.messages.ledger.LedgerCommand.CaptureHold;
import dev.corebank.messages.ledger.LedgerCommand.PlaceHold;
import dev.corebank.messages.ledger.LedgerCommand.TransferFunds;
import dev.corebank.messages.ledger.LedgerCommand.VoidHold;
import dev.corebank.outbox.CloudEvents;
import dev.corebank.platform.id.UuidV7;
import dev.corebank.testing.TopicReader;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Commands on the real topic whose {@code ce_source} is not a service allowed to send them (another service,
 * a name no service has, or none at all): none is applied or answered, each lands on the dead-letter topic with
 * the reason, and each is counted by type and source. Commands from their real senders flow on around them.
 */
@QuarkusTest
class ForgedCommandsTest {

    private static final String COUNTER = "messages.untrusted";

    @Inject
    LedgerTestSupport ledger;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void commands_from_a_sender_not_allowed_to_send_them_change_nothing_and_are_dead_lettered_and_counted() {
        UUID alice = ledger.open("EUR", 0);
        ledger.deposit(alice, 1_000);
        UUID mallory = ledger.open("EUR", 0);
        // A real hold, placed by the saga, that forged captures and voids try to move.
        PlaceHold realHold = new PlaceHold(UuidV7.next(), UuidV7.next(), alice, mallory, 300, "EUR",
                Instant.now().plus(Duration.ofHours(1)), "order");
        assertEquals("HoldPlaced", only(realHold).type());
        double before = untrusted();

        Map<LedgerCommand, String> forged = new LinkedHashMap<>();
        // The saga may not move money between accounts, nor transfer-service place or settle holds.
        forged.put(new TransferFunds(UuidV7.next(), alice, mallory, 100, "EUR", "forged"), CloudEvents.sourceOf("orders"));
        forged.put(new TransferFunds(UuidV7.next(), alice, mallory, 100, "EUR", "forged"), null);
        forged.put(new TransferFunds(UuidV7.next(), alice, mallory, 100, "EUR", "forged"), "/corebank/mallory");
        forged.put(new TransferFunds(UuidV7.next(), alice, mallory, 100, "EUR", "forged"), "/evil/transfers");
        PlaceHold forgedHold = new PlaceHold(UuidV7.next(), UuidV7.next(), alice, mallory, 100, "EUR",
                Instant.now().plus(Duration.ofHours(1)), "forged");
        forged.put(forgedHold, CloudEvents.sourceOf("transfers"));
        forged.put(new CaptureHold(UuidV7.next(), realHold.holdId(), 300), CloudEvents.sourceOf("transfers"));
        forged.put(new VoidHold(UuidV7.next(), realHold.holdId()), CloudEvents.sourceOf("accounts"));
        forged.forEach(ledger::sendAs);
        TransferFunds real = new TransferFunds(UuidV7.next(), alice, mallory, 10, "EUR", "real");
        ledger.send(real);

        assertEquals("TransferPosted", ledger.awaitReply(real.commandId()).type(), "real commands flow on");
        Set<String> forgedIds = forged.keySet().stream().map(c -> c.commandId().toString()).collect(Collectors.toSet());
        List<ConsumerRecord<String, String>> dead = TopicReader.read(bootstrap, ledger.commandTopic() + ".dlt",
                "dlt-reader-" + UUID.randomUUID(), forgedIds.size(), Duration.ofSeconds(60)).stream()
                .filter(record -> forgedIds.contains(record.key()))
                .toList();
        assertEquals(forgedIds.size(), dead.size(), "every forged command is dead-lettered");
        dead.forEach(record -> assertTrue(TopicReader.header(record, "dead-letter-reason").contains("may send it"),
                TopicReader.header(record, "dead-letter-reason")));

        // Nothing applied, nothing answered: balances, journal and holds as the real commands left them.
        assertEquals(1_000 - 10, ledger.single("SELECT balance FROM accounts WHERE id = $1", alice));
        assertEquals(10, ledger.single("SELECT balance FROM accounts WHERE id = $1", mallory));
        UUID[] ids = forged.keySet().stream().map(LedgerCommand::commandId).toArray(UUID[]::new);
        assertEquals(0L, ledger.single("SELECT count(*) FROM movements WHERE id = ANY($1)", (Object) ids));
        assertEquals(0L, ledger.single("SELECT count(*) FROM holds WHERE id = $1", forgedHold.holdId()));
        assertEquals("PLACED", ledger.row("SELECT status FROM holds WHERE id = $1", realHold.holdId()).getString("status"));
        assertEquals(Map.of(), ledger.replies(List.of(ids)));

        assertEquals(7, untrusted() - before);
        assertEquals(1, count("TransferFunds", CloudEvents.sourceOf("orders")));
        assertEquals(1, count("TransferFunds", "none"));
        assertEquals(2, count("TransferFunds", "other"), "names no service has are not tags of their own");
        assertEquals(1, count("PlaceHold", CloudEvents.sourceOf("transfers")));
        assertEquals(1, count("CaptureHold", CloudEvents.sourceOf("transfers")));
        assertEquals(1, count("VoidHold", CloudEvents.sourceOf("accounts")));
    }

    private LedgerTestSupport.Reply only(LedgerCommand command) {
        ledger.send(command);
        return ledger.awaitReply(command.commandId());
    }

    private double untrusted() {
        return registry.find(COUNTER).tag("consumer", "ledger-commands").counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    private double count(String type, String source) {
        return registry.counter(COUNTER, "consumer", "ledger-commands", "type", type, "source", source).count();
    }
}
