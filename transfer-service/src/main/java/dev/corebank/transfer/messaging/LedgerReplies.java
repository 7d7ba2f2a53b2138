package dev.corebank.transfer.messaging;

import dev.corebank.messages.ledger.LedgerEvent;
import dev.corebank.platform.inbox.InboxConfig;
import dev.corebank.platform.inbox.MalformedMessage;
import dev.corebank.platform.messaging.CloudEventDecoder;
import dev.corebank.platform.messaging.DeadLetterChannel;
import dev.corebank.platform.messaging.PoisonTolerantBatch;
import dev.corebank.platform.messaging.PoisonTolerantBatch.Read;
import dev.corebank.platform.messaging.PoisonTolerantBatch.Refused;
import dev.corebank.platform.messaging.SenderCheck;
import dev.corebank.platform.messaging.UntrustedSender;
import dev.corebank.platform.outbox.OutboxConfig;
import dev.corebank.transfer.config.TransferConfig;
import dev.corebank.transfer.transfers.Outcome;
import dev.corebank.transfer.transfers.TransferService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
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
    private static final Map<String, Class<? extends LedgerEvent>> TRANSFER_REPLIES = Map.of(
            LedgerEvent.TransferPosted.class.getSimpleName(), LedgerEvent.TransferPosted.class,
            LedgerEvent.TransferRejected.class.getSimpleName(), LedgerEvent.TransferRejected.class);

    private final CloudEventDecoder decoder;
    private final Optional<String> self;
    private final SenderCheck senders;
    private final Counter unreadable;
    private final PoisonTolerantBatch<Outcome> batch;

    public LedgerReplies(TransferService transfers, CloudEventDecoder decoder, OutboxConfig outbox, InboxConfig retries,
            TransferConfig config, @Channel("ledger-events-dlt") MutinyEmitter<String> deadLetters, MeterRegistry registry) {
        this.decoder = decoder;
        this.self = outbox.sourceName();
        this.senders = new SenderCheck("transfer-ledger-replies", TRANSFER_REPLIES.keySet().stream()
                .collect(Collectors.toMap(type -> type, type -> config.ledgerSenders())), self, registry);
        this.unreadable = Counter.builder("transfers.ledger_replies.unreadable")
                .description("Ledger events with a transfer reply type that did not parse (dead-lettered)")
                .register(registry);
        this.batch = new PoisonTolerantBatch<>(transfers::settle, retries,
                new DeadLetterChannel(deadLetters, "transfer-service"),
                Counter.builder("transfers.ledger_replies.failed")
                        .description("Ledger answers whose settling kept failing (dead-lettered)")
                        .register(registry));
    }

    @Incoming("ledger-events")
    public Uni<Void> consume(ConsumerRecords<String, String> records) {
        // The last answer per transfer wins; the ledger never gives one transfer two different answers.
        Map<UUID, Read<Outcome>> answers = new LinkedHashMap<>();
        List<Refused> refused = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            if (!CloudEventDecoder.addressedTo(record, self)) {
                continue;
            }
            try {
                senders.require(record);
                outcomeOf(record).ifPresent(outcome -> answers.put(outcome.transferId(), new Read<>(record, outcome)));
            } catch (UntrustedSender e) {
                refused.add(new Refused(record, e));
            } catch (MalformedMessage e) {
                unreadable.increment();
                refused.add(new Refused(record, e));
            }
        }
        return batch.apply(answers.values(), refused);
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
