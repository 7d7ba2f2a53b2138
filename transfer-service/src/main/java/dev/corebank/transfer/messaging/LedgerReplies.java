package dev.corebank.transfer.messaging;

import dev.corebank.messages.ledger.LedgerEvent;
import dev.corebank.platform.inbox.InboxConfig;
import dev.corebank.platform.messaging.CloudEventDecoder;
import dev.corebank.platform.messaging.DeadLetterChannel;
import dev.corebank.platform.messaging.PoisonTolerantBatch.Read;
import dev.corebank.platform.messaging.OutageRetry;
import dev.corebank.platform.messaging.PoisonTolerantBatch;
import dev.corebank.platform.messaging.ReplyReader;
import dev.corebank.platform.outbox.OutboxConfig;
import dev.corebank.transfer.config.TransferConfig;
import dev.corebank.transfer.transfers.Outcome;
import dev.corebank.transfer.transfers.TransferService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads the ledger's answers ({@code ledger.events}) a poll at a time and settles the transfers they name
 * in one transaction. The offsets move only after it committed, so a crash leads to a redelivery; settling
 * only touches PENDING rows, so a redelivered or re-sent answer changes nothing and needs no inbox.
 *
 * <p>The topic also carries answers to other services' commands and the ledger's own movements: those are
 * passed over by their headers (recipient, type) without parsing, and answers naming no transfer of this
 * service by the settling. No answer can stop the ones behind it: an answer not sent by the ledger
 * ({@code ce_source} not among {@link TransferConfig#ledgerSenders()}) is never applied, one that does not
 * parse is not either, and one whose settling fails for a reason other than the database being away is tried
 * alone a few times; each of them goes to {@code ledger.events.dlt} and is counted.
 */
@ApplicationScoped
public class LedgerReplies {

    /** The answers to transfer commands; every other ledger event is passed over unread. */
    private static final Map<String, Class<? extends LedgerEvent>> TRANSFER_REPLIES = ReplyReader.typesOf(
            LedgerEvent.TYPES, Set.of(LedgerEvent.TransferPosted.class, LedgerEvent.TransferRejected.class));

    private final CloudEventDecoder decoder;
    private final ReplyReader<Outcome> reader;
    private final PoisonTolerantBatch<Outcome> batch;

    public LedgerReplies(TransferService transfers, CloudEventDecoder decoder, OutboxConfig outbox, InboxConfig retries,
            TransferConfig config, @Channel("ledger-events-dlt") MutinyEmitter<String> deadLetters, MeterRegistry registry) {
        this.decoder = decoder;
        this.reader = new ReplyReader<>("transfer-ledger-replies", "transfers", TRANSFER_REPLIES.keySet(),
                config.ledgerSenders(), outbox.sourceName(), registry, this::outcomeOf);
        this.batch = new PoisonTolerantBatch<>(transfers::settle, retries,
                new OutageRetry("ledger-events", retries, registry),
                new DeadLetterChannel(deadLetters, "transfer-service"),
                Counter.builder("transfers.ledger_replies.failed")
                        .description("Ledger answers whose settling kept failing (dead-lettered)")
                        .register(registry));
    }

    @Incoming("ledger-events")
    public Uni<Void> consume(ConsumerRecords<String, String> records) {
        ReplyReader.Poll<Outcome> poll = reader.read(records);
        // The last answer per transfer wins; the ledger never gives one transfer two different answers.
        Map<UUID, Read<Outcome>> answers = new LinkedHashMap<>();
        poll.read().forEach(answer -> answers.put(answer.value().transferId(), answer));
        return batch.apply(answers.values(), poll.refused());
    }

    private Optional<Outcome> outcomeOf(ConsumerRecord<String, String> record) {
        LedgerEvent event = decoder.decode(record, TRANSFER_REPLIES).orElse(null);
        if (event instanceof LedgerEvent.TransferPosted posted) {
            return Optional.of(Outcome.completed(posted.commandId(), posted.postedAt()));
        } else if (event instanceof LedgerEvent.TransferRejected rejected) {
            return Optional.of(Outcome.rejected(rejected.commandId(), rejected.reason().name(), rejected.detail()));
        }
        return Optional.empty();
    }
}
