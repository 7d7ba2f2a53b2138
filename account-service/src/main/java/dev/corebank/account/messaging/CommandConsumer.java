package dev.corebank.account.messaging;

import dev.corebank.account.command.CommandProcessor;
import dev.corebank.account.command.ReceivedCommand;
import dev.corebank.account.ledger.LockSetChanged;
import dev.corebank.base.db.DatabaseFailures;
import dev.corebank.messages.ledger.LedgerCommand;
import dev.corebank.outbox.CloudEvents;
import dev.corebank.platform.inbox.Inbox;
import dev.corebank.platform.inbox.InboxConfig;
import dev.corebank.platform.inbox.MalformedMessage;
import dev.corebank.account.config.LedgerConfig;
import dev.corebank.platform.messaging.CloudEventDecoder;
import dev.corebank.platform.messaging.OutageRetry;
import dev.corebank.platform.messaging.SenderCheck;
import dev.corebank.platform.messaging.UntrustedSender;
import dev.corebank.platform.outbox.OutboxConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads {@code ledger.commands} a poll at a time and applies each poll in one transaction. The offsets
 * move only after that transaction committed (the connector acknowledges when the returned Uni completes),
 * so a crash at any point leads to a redelivery, which the inbox and the stored answers make harmless.
 *
 * <p>A command whose {@code ce_source} is not a service allowed to send its type ({@link LedgerConfig.Senders}) is
 * never applied: it goes to the dead-letter topic, as a malformed one does, and is counted.
 *
 * <p>Should a whole batch fail for a reason other than the database being away, its commands are applied
 * one by one so that the one at fault alone goes to the dead-letter topic.
 */
@ApplicationScoped
public class CommandConsumer {

    private static final Set<String> RACED_KEYS = Set.of("commands_pkey", "movements_pkey", "holds_pkey");

    private final CommandProcessor processor;
    private final DeadLetters deadLetters;
    private final CloudEventDecoder decoder;
    private final InboxConfig retries;
    private final SenderCheck senders;
    private final OutageRetry outages;

    public CommandConsumer(CommandProcessor processor, DeadLetters deadLetters, CloudEventDecoder decoder,
            InboxConfig retries, LedgerConfig ledger, OutboxConfig outbox, MeterRegistry registry) {
        this.processor = processor;
        this.deadLetters = deadLetters;
        this.decoder = decoder;
        this.retries = retries;
        this.senders = new SenderCheck("ledger-commands", allowedByType(ledger.senders()), outbox.sourceName(), registry);
        this.outages = new OutageRetry("ledger-commands", retries, registry);
    }

    /** Every command type, with the senders configured for it; a type without any may come from nobody. */
    private static Map<String, List<String>> allowedByType(LedgerConfig.Senders senders) {
        Map<Class<? extends LedgerCommand>, List<String>> byType = senders.byType();
        return LedgerCommand.TYPES.entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey,
                type -> byType.getOrDefault(type.getValue(), List.of())));
    }

    @Incoming("ledger-commands")
    public Uni<Void> consume(ConsumerRecords<String, String> records) {
        List<Parsed> parsed = new ArrayList<>(records.count());
        List<Uni<Void>> malformed = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            try {
                // Before the payload is read: a forged command is refused whatever it says.
                senders.require(record);
                parsed.add(new Parsed(record, new ReceivedCommand(Inbox.messageId(record), parse(record),
                        CloudEventDecoder.header(record, CloudEvents.SOURCE).orElse(null))));
            } catch (MalformedMessage | UntrustedSender e) {
                malformed.add(deadLetters.send(record, e));
            }
        }
        return Multi.createFrom().iterable(malformed)
                .onItem().transformToUniAndConcatenate(send -> send)
                .collect().last()
                .chain(() -> parsed.isEmpty() ? Uni.createFrom().voidItem() : applyBatch(parsed));
    }

    private Uni<Void> applyBatch(List<Parsed> batch) {
        return patiently(processor.apply(batch.stream().map(Parsed::command).toList()))
                .onFailure().recoverWithUni(failure -> oneByOne(batch));
    }

    private Uni<Void> oneByOne(List<Parsed> batch) {
        return Multi.createFrom().iterable(batch)
                .onItem().transformToUniAndConcatenate(single -> patiently(processor.apply(List.of(single.command())))
                        .onFailure().retry().withBackOff(retries.initialBackoff(), retries.maxBackoff()).atMost(retries.maxRetries())
                        .onFailure().recoverWithUni(failure -> deadLetters.send(single.record(), failure)))
                .collect().last()
                .replaceWithVoid();
    }

    /**
     * Failures that say nothing about the commands are retried without limit, holding the partitions: the
     * database away or overloaded, and races another transaction won (the retry then sees its outcome).
     */
    private Uni<Void> patiently(Uni<Void> work) {
        return outages.patiently(work, CommandConsumer::retryable);
    }

    static boolean retryable(Throwable failure) {
        // 23505 on these keys: another consumer applied the same command id at the same moment.
        return DatabaseFailures.unavailable(failure) || failure instanceof LockSetChanged
                || failure instanceof PgException pg && "23505".equals(pg.getSqlState())
                        && RACED_KEYS.contains(pg.getConstraint());
    }

    private LedgerCommand parse(ConsumerRecord<String, String> record) {
        // On the commands topic, a type that is no ledger command is as malformed as a payload that does not parse.
        return decoder.decode(record, LedgerCommand.TYPES).orElseThrow(() -> new MalformedMessage("unknown ledger command type "
                + CloudEventDecoder.header(record, CloudEvents.TYPE).orElse("")));
    }

    private record Parsed(ConsumerRecord<String, String> record, ReceivedCommand command) {
    }
}
