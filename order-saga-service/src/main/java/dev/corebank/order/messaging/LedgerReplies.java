package dev.corebank.order.messaging;

import dev.corebank.messages.ledger.LedgerEvent;
import dev.corebank.order.config.OrderConfig;
import dev.corebank.order.saga.SagaService;
import dev.corebank.platform.inbox.InboxConfig;
import dev.corebank.platform.messaging.CloudEventDecoder;
import dev.corebank.platform.messaging.DeadLetterChannel;
import dev.corebank.platform.messaging.OutageRetry;
import dev.corebank.platform.messaging.PoisonTolerantBatch;
import dev.corebank.platform.messaging.ReplyReader;
import dev.corebank.platform.outbox.OutboxConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
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

    private static final Map<String, Class<? extends LedgerEvent>> HOLD_TYPES = ReplyReader.typesOf(LedgerEvent.TYPES,
            Set.of(LedgerEvent.HoldPlaced.class, LedgerEvent.HoldRejected.class, LedgerEvent.HoldCaptured.class,
                    LedgerEvent.HoldVoided.class, LedgerEvent.HoldExpired.class));

    private final ReplyReader<LedgerEvent> reader;
    private final PoisonTolerantBatch<LedgerEvent> batch;

    public LedgerReplies(SagaService sagas, CloudEventDecoder decoder, OutboxConfig outbox, InboxConfig retries,
            OrderConfig config, @Channel("ledger-events-dlt") MutinyEmitter<String> deadLetters, MeterRegistry registry) {
        this.reader = new ReplyReader<>("order-ledger-replies", "orders", HOLD_TYPES.keySet(), config.ledgerSenders(),
                outbox.sourceName(), registry, record -> decoder.decode(record, HOLD_TYPES));
        this.batch = new PoisonTolerantBatch<>(sagas::onReplies, retries,
                new OutageRetry("ledger-events", retries, registry),
                new DeadLetterChannel(deadLetters, "order-saga-service"),
                Counter.builder("orders.ledger_replies.failed")
                        .description("Ledger hold events whose saga step kept failing (dead-lettered)")
                        .register(registry));
    }

    @Incoming("ledger-events")
    public Uni<Void> consume(ConsumerRecords<String, String> records) {
        ReplyReader.Poll<LedgerEvent> poll = reader.read(records);
        return batch.apply(poll.read(), poll.refused());
    }
}
