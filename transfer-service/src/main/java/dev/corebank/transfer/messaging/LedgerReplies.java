package dev.corebank.transfer.messaging;

import dev.corebank.messages.ledger.LedgerEvent;
import dev.corebank.platform.inbox.Inbox;
import dev.corebank.platform.inbox.InboxConfig;
import dev.corebank.platform.inbox.MalformedMessage;
import dev.corebank.platform.messaging.CloudEventDecoder;
import dev.corebank.platform.messaging.DeadLetterChannel;
import dev.corebank.platform.messaging.SenderCheck;
import dev.corebank.platform.messaging.UntrustedSender;
import dev.corebank.platform.outbox.OutboxConfig;
import dev.corebank.transfer.config.TransferConfig;
import dev.corebank.transfer.transfers.Outcome;
import dev.corebank.transfer.transfers.TransferService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
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

    private final TransferService transfers;
    private final CloudEventDecoder decoder;
    private final Optional<String> self;
    private final InboxConfig retries;
    private final SenderCheck senders;
    private final DeadLetterChannel deadLetters;
    private final Counter unreadable;
    private final Counter failed;

    public LedgerReplies(TransferService transfers, CloudEventDecoder decoder, OutboxConfig outbox, InboxConfig retries,
            TransferConfig config, @Channel("ledger-events-dlt") MutinyEmitter<String> deadLetters, MeterRegistry registry) {
        this.transfers = transfers;
        this.decoder = decoder;
        this.self = outbox.sourceName();
        this.retries = retries;
        this.senders = new SenderCheck("transfer-ledger-replies", TRANSFER_REPLIES.keySet().stream()
                .collect(Collectors.toMap(type -> type, type -> config.ledgerSenders())), self, registry);
        this.deadLetters = new DeadLetterChannel(deadLetters, "transfer-service");
        this.unreadable = Counter.builder("transfers.ledger_replies.unreadable")
                .description("Ledger events with a transfer reply type that did not parse (dead-lettered)")
                .register(registry);
        this.failed = Counter.builder("transfers.ledger_replies.failed")
                .description("Ledger answers whose settling kept failing (dead-lettered)")
                .register(registry);
    }

    @Incoming("ledger-events")
    public Uni<Void> consume(ConsumerRecords<String, String> records) {
        // The last answer per transfer wins; the ledger never gives one transfer two different answers.
        Map<UUID, Answer> answers = new LinkedHashMap<>();
        List<Refused> refused = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            if (!CloudEventDecoder.addressedTo(record, self)) {
                continue;
            }
            try {
                senders.require(record);
                outcomeOf(record).ifPresent(outcome -> answers.put(outcome.transferId(), new Answer(record, outcome)));
            } catch (UntrustedSender e) {
                refused.add(new Refused(record, e));
            } catch (MalformedMessage e) {
                unreadable.increment();
                refused.add(new Refused(record, e));
            }
        }
        return deadLetter(refused)
                .chain(() -> settle(answers.values()));
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

    private Uni<Void> settle(Collection<Answer> answers) {
        if (answers.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return patiently(transfers.settle(answers.stream().map(Answer::outcome).toList()))
                .onFailure().recoverWithUni(failure -> oneByOne(answers));
    }

    /** After a batch failed for a reason of its own: each answer alone, so that the one at fault alone is dead-lettered. */
    private Uni<Void> oneByOne(Collection<Answer> answers) {
        return Multi.createFrom().iterable(answers)
                .onItem().transformToUniAndConcatenate(answer -> patiently(transfers.settle(List.of(answer.outcome())))
                        .onFailure().retry().withBackOff(retries.initialBackoff(), retries.maxBackoff()).atMost(retries.maxRetries())
                        .onFailure().invoke(failure -> failed.increment())
                        .onFailure().recoverWithUni(failure -> deadLetters.send(answer.record(), failure)))
                .collect().last()
                .replaceWithVoid();
    }

    /** The database away or overloaded says nothing about the answers: retried until it is back, holding the partitions. */
    private Uni<Void> patiently(Uni<?> settling) {
        return settling
                .onFailure(Inbox::databaseUnavailable)
                .retry().withBackOff(retries.initialBackoff(), retries.maxBackoff()).indefinitely()
                .replaceWithVoid();
    }

    private Uni<Void> deadLetter(List<Refused> refused) {
        return Multi.createFrom().iterable(refused)
                .onItem().transformToUniAndConcatenate(each -> deadLetters.send(each.record(), each.reason()))
                .collect().last()
                .replaceWithVoid();
    }

    private record Answer(ConsumerRecord<String, String> record, Outcome outcome) {
    }

    private record Refused(ConsumerRecord<String, String> record, RuntimeException reason) {
    }
}
