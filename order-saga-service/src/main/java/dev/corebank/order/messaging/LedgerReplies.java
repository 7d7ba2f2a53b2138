package dev.corebank.order.messaging;

import dev.corebank.messages.ledger.LedgerEvent;
import dev.corebank.order.config.OrderConfig;
import dev.corebank.order.saga.SagaService;
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
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads the ledger's answers ({@code ledger.events}) a poll at a time and moves the sagas they concern in one
 * transaction. Offsets move only after it committed, so a crash leads to a redelivery; every saga step is
 * guarded by the saga's state, so a redelivered or repeated answer changes nothing and needs no inbox.
 *
 * <p>Only hold events are read: replies addressed to another service, and other types, are passed over by
 * their headers without parsing; holds that are not an order's are passed over by the saga. No event can stop
 * the ones behind it: one not sent by the ledger ({@code ce_source} not among
 * {@link OrderConfig#ledgerSenders()}) is never applied, one that does not parse is not either, and one whose
 * step fails for a reason other than the database being away is tried alone a few times; each of them goes to
 * {@code ledger.events.dlt} and is counted.
 */
@ApplicationScoped
public class LedgerReplies {

    private static final Set<Class<? extends LedgerEvent>> HOLD_EVENTS = Set.of(LedgerEvent.HoldPlaced.class,
            LedgerEvent.HoldRejected.class, LedgerEvent.HoldCaptured.class, LedgerEvent.HoldVoided.class,
            LedgerEvent.HoldExpired.class);
    private static final Map<String, Class<? extends LedgerEvent>> HOLD_TYPES = LedgerEvent.TYPES.entrySet().stream()
            .filter(type -> HOLD_EVENTS.contains(type.getValue()))
            .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));

    private final CloudEventDecoder decoder;
    private final Optional<String> self;
    private final SenderCheck senders;
    private final Counter unreadable;
    private final PoisonTolerantBatch<LedgerEvent> batch;

    public LedgerReplies(SagaService sagas, CloudEventDecoder decoder, OutboxConfig outbox, InboxConfig retries,
            OrderConfig config, @Channel("ledger-events-dlt") MutinyEmitter<String> deadLetters, MeterRegistry registry) {
        this.decoder = decoder;
        this.self = outbox.sourceName();
        this.senders = new SenderCheck("order-ledger-replies", HOLD_TYPES.keySet().stream()
                .collect(Collectors.toMap(type -> type, type -> config.ledgerSenders())), self, registry);
        this.unreadable = Counter.builder("orders.ledger_replies.unreadable")
                .description("Ledger hold events that did not parse (dead-lettered)")
                .register(registry);
        this.batch = new PoisonTolerantBatch<>(sagas::onReplies, retries,
                new DeadLetterChannel(deadLetters, "order-saga-service"),
                Counter.builder("orders.ledger_replies.failed")
                        .description("Ledger hold events whose saga step kept failing (dead-lettered)")
                        .register(registry));
    }

    @Incoming("ledger-events")
    public Uni<Void> consume(ConsumerRecords<String, String> records) {
        List<Read<LedgerEvent>> replies = new ArrayList<>();
        List<Refused> refused = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            if (!CloudEventDecoder.addressedTo(record, self)) {
                continue;
            }
            try {
                senders.require(record);
                decoder.decode(record, HOLD_TYPES).ifPresent(event -> replies.add(new Read<>(record, event)));
            } catch (UntrustedSender e) {
                refused.add(new Refused(record, e));
            } catch (MalformedMessage e) {
                unreadable.increment();
                refused.add(new Refused(record, e));
            }
        }
        return batch.apply(replies, refused);
    }
}
