package dev.corebank.transfer.messaging;

import dev.corebank.messages.ledger.LedgerEvent;
import dev.corebank.platform.inbox.Inbox;
import dev.corebank.platform.inbox.InboxConfig;
import dev.corebank.platform.inbox.MalformedMessage;
import dev.corebank.platform.messaging.CloudEventDecoder;
import dev.corebank.platform.outbox.OutboxConfig;
import dev.corebank.transfer.transfers.Outcome;
import dev.corebank.transfer.transfers.TransferService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads the ledger's answers ({@code ledger.events}) a poll at a time and settles the transfers they name
 * in one transaction. The offsets move only after it committed, so a crash leads to a redelivery; settling
 * only touches PENDING rows, so a redelivered or re-sent answer changes nothing and needs no inbox.
 *
 * <p>The topic also carries answers to other services' commands and the ledger's own movements: those are
 * passed over by their headers (recipient, type) without parsing, and answers naming no transfer of this
 * service by the settling. An answer that does not parse is skipped and counted, never fatal.
 */
@ApplicationScoped
public class LedgerReplies {

    private static final Logger LOG = Logger.getLogger(LedgerReplies.class);

    /** The answers to transfer commands; every other ledger event is passed over unread. */
    private static final Map<String, Class<? extends LedgerEvent>> TRANSFER_REPLIES = Map.of(
            LedgerEvent.TransferPosted.class.getSimpleName(), LedgerEvent.TransferPosted.class,
            LedgerEvent.TransferRejected.class.getSimpleName(), LedgerEvent.TransferRejected.class);

    private final TransferService transfers;
    private final CloudEventDecoder decoder;
    private final Optional<String> self;
    private final InboxConfig retries;
    private final Counter unreadable;

    public LedgerReplies(TransferService transfers, CloudEventDecoder decoder, OutboxConfig outbox, InboxConfig retries,
            MeterRegistry registry) {
        this.transfers = transfers;
        this.decoder = decoder;
        this.self = outbox.sourceName();
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
        if (!CloudEventDecoder.addressedTo(record, self)) {
            return null;
        }
        try {
            LedgerEvent event = decoder.decode(record, TRANSFER_REPLIES).orElse(null);
            if (event instanceof LedgerEvent.TransferPosted posted) {
                return Outcome.completed(posted.commandId(), posted.postedAt());
            } else if (event instanceof LedgerEvent.TransferRejected rejected) {
                return Outcome.rejected(rejected.commandId(), rejected.reason().name(), rejected.detail());
            }
            return null;
        } catch (MalformedMessage e) {
            unreadable.increment();
            LOG.warnf("skipping an unreadable ledger answer: %s", e.getMessage());
            return null;
        }
    }
}
