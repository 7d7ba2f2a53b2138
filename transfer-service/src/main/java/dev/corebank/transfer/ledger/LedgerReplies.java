package dev.corebank.transfer.ledger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corebank.messages.ledger.LedgerEvent;
import dev.corebank.platform.inbox.Inbox;
import dev.corebank.platform.inbox.InboxConfig;
import dev.corebank.platform.outbox.CloudEvents;
import dev.corebank.transfer.transfer.Outcome;
import dev.corebank.transfer.transfer.TransferService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads the ledger's answers ({@code ledger.events}) a poll at a time and settles the transfers they name
 * in one transaction. The offsets move only after it committed, so a crash leads to a redelivery; settling
 * only touches PENDING rows, so a redelivered or re-sent answer changes nothing and needs no inbox.
 *
 * <p>The topic also carries answers to other services' commands and the ledger's own movements: those,
 * and answers naming no transfer of this service, are passed over.
 */
@ApplicationScoped
public class LedgerReplies {

    private static final Logger LOG = Logger.getLogger(LedgerReplies.class);

    /** The answers to transfer commands; every other ledger event is passed over unread. */
    private static final Set<Class<? extends LedgerEvent>> TRANSFER_REPLIES =
            Set.of(LedgerEvent.TransferPosted.class, LedgerEvent.TransferRejected.class);

    private final TransferService transfers;
    private final ObjectMapper json;
    private final InboxConfig retries;
    private final Counter unreadable;

    public LedgerReplies(TransferService transfers, ObjectMapper json, InboxConfig retries, MeterRegistry registry) {
        this.transfers = transfers;
        this.json = json;
        this.retries = retries;
        this.unreadable = Counter.builder("transfers.ledger_replies.unreadable")
                .description("Ledger events with a transfer reply type that did not parse (skipped)")
                .register(registry);
    }

    @Incoming("ledger-events")
    public Uni<Void> consume(ConsumerRecords<String, String> records) {
        // The last answer per transfer wins; the ledger never gives one transfer two different answers.
        Map<UUID, Outcome> outcomes = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            Outcome outcome = outcomeOf(record);
            if (outcome != null) {
                outcomes.put(outcome.transferId(), outcome);
            }
        }
        if (outcomes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // Failures here are the database's, never the answers': retried until it is back, holding the partitions.
        return transfers.settle(outcomes.values().stream().toList())
                .onFailure(Inbox::databaseUnavailable)
                .retry().withBackOff(retries.initialBackoff(), retries.maxBackoff()).indefinitely()
                .replaceWithVoid();
    }

    private Outcome outcomeOf(ConsumerRecord<String, String> record) {
        Header type = record.headers().lastHeader(CloudEvents.TYPE);
        if (type == null || record.value() == null) {
            return null;
        }
        Class<? extends LedgerEvent> eventType = LedgerEvent.TYPES.get(new String(type.value(), StandardCharsets.UTF_8));
        if (!TRANSFER_REPLIES.contains(eventType)) {
            return null;
        }
        try {
            LedgerEvent event = read(record, eventType);
            if (event instanceof LedgerEvent.TransferPosted posted) {
                return Outcome.completed(posted.commandId(), posted.postedAt());
            }
            LedgerEvent.TransferRejected rejected = (LedgerEvent.TransferRejected) event;
            return Outcome.rejected(rejected.commandId(), rejected.reason().name(), rejected.detail());
        } catch (Exception e) {
            unreadable.increment();
            LOG.warnf("skipping unreadable %s at %s-%d@%d: %s", eventType.getSimpleName(), record.topic(),
                    record.partition(), record.offset(), e.getMessage());
            return null;
        }
    }

    private <T> T read(ConsumerRecord<String, String> record, Class<T> type) throws java.io.IOException {
        T value = json.readerFor(type).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(record.value());
        if (value == null) {
            throw new IllegalArgumentException("null payload");
        }
        return value;
    }
}
