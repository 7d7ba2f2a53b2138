package dev.corebank.order.messaging;

import dev.corebank.messages.ledger.LedgerEvent;
import dev.corebank.order.saga.SagaService;
import dev.corebank.platform.inbox.Inbox;
import dev.corebank.platform.inbox.InboxConfig;
import dev.corebank.platform.inbox.MalformedMessage;
import dev.corebank.platform.messaging.CloudEventDecoder;
import dev.corebank.platform.outbox.OutboxConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads the ledger's answers ({@code ledger.events}) a poll at a time and moves the sagas they concern in one
 * transaction. Offsets move only after it committed, so a crash leads to a redelivery; every saga step is
 * guarded by the saga's state, so a redelivered or repeated answer changes nothing and needs no inbox.
 *
 * <p>Only hold events are read: replies addressed to another service, and other types, are passed over by
 * their headers without parsing; holds that are not an order's are passed over by the saga. A hold event
 * that does not parse is skipped and counted: it must not stop the answers behind it.
 */
@ApplicationScoped
public class LedgerReplies {

    private static final Logger LOG = Logger.getLogger(LedgerReplies.class);

    private static final Set<Class<? extends LedgerEvent>> HOLD_EVENTS = Set.of(LedgerEvent.HoldPlaced.class,
            LedgerEvent.HoldRejected.class, LedgerEvent.HoldCaptured.class, LedgerEvent.HoldVoided.class,
            LedgerEvent.HoldExpired.class);
    private static final Map<String, Class<? extends LedgerEvent>> HOLD_TYPES = LedgerEvent.TYPES.entrySet().stream()
            .filter(type -> HOLD_EVENTS.contains(type.getValue()))
            .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));

    private final SagaService sagas;
    private final CloudEventDecoder decoder;
    private final Optional<String> self;
    private final InboxConfig retries;
    private final Counter unreadable;

    public LedgerReplies(SagaService sagas, CloudEventDecoder decoder, OutboxConfig outbox, InboxConfig retries,
            MeterRegistry registry) {
        this.sagas = sagas;
        this.decoder = decoder;
        this.self = outbox.sourceName();
        this.retries = retries;
        this.unreadable = Counter.builder("orders.ledger_replies.unreadable")
                .description("Ledger hold events that did not parse (skipped)")
                .register(registry);
    }

    @Incoming("ledger-events")
    public Uni<Void> consume(ConsumerRecords<String, String> records) {
        List<LedgerEvent> replies = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            if (CloudEventDecoder.addressedTo(record, self)) {
                holdEventOf(record).ifPresent(replies::add);
            }
        }
        if (replies.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // Failures here are the database's, never the answers': retried until it is back, holding the partitions.
        return sagas.onReplies(replies)
                .onFailure(Inbox::databaseUnavailable)
                .retry().withBackOff(retries.initialBackoff(), retries.maxBackoff()).indefinitely()
                .replaceWithVoid();
    }

    private Optional<LedgerEvent> holdEventOf(ConsumerRecord<String, String> record) {
        try {
            return decoder.decode(record, HOLD_TYPES);
        } catch (MalformedMessage e) {
            unreadable.increment();
            LOG.warnf("skipping an unreadable ledger event: %s", e.getMessage());
            return Optional.empty();
        }
    }
}
