package dev.corebank.order.ledger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corebank.messages.ledger.LedgerEvent;
import dev.corebank.order.saga.SagaService;
import dev.corebank.platform.inbox.Inbox;
import dev.corebank.platform.inbox.InboxConfig;
import dev.corebank.platform.outbox.CloudEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads the ledger's answers ({@code ledger.events}) a poll at a time and moves the sagas they concern in one
 * transaction. Offsets move only after it committed, so a crash leads to a redelivery; every saga step is
 * guarded by the saga's state, so a redelivered or repeated answer changes nothing and needs no inbox.
 *
 * <p>Only hold events are read; transfer answers and movements on the same topic are passed over by their
 * CloudEvents type without parsing, and holds that are not an order's are passed over by the saga.
 */
@ApplicationScoped
public class LedgerReplies {

    private static final Logger LOG = Logger.getLogger(LedgerReplies.class);

    private static final Set<Class<? extends LedgerEvent>> HOLD_EVENTS = Set.of(LedgerEvent.HoldPlaced.class,
            LedgerEvent.HoldRejected.class, LedgerEvent.HoldCaptured.class, LedgerEvent.HoldVoided.class,
            LedgerEvent.HoldExpired.class);

    private final SagaService sagas;
    private final ObjectMapper json;
    private final InboxConfig retries;
    private final Counter unreadable;

    public LedgerReplies(SagaService sagas, ObjectMapper json, InboxConfig retries, MeterRegistry registry) {
        this.sagas = sagas;
        this.json = json;
        this.retries = retries;
        this.unreadable = Counter.builder("orders.ledger_replies.unreadable")
                .description("Ledger hold events that did not parse (skipped)")
                .register(registry);
    }

    @Incoming("ledger-events")
    public Uni<Void> consume(ConsumerRecords<String, String> records) {
        List<LedgerEvent> replies = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            LedgerEvent reply = holdEventOf(record);
            if (reply != null) {
                replies.add(reply);
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

    private LedgerEvent holdEventOf(ConsumerRecord<String, String> record) {
        Header type = record.headers().lastHeader(CloudEvents.TYPE);
        if (type == null || record.value() == null) {
            return null;
        }
        Class<? extends LedgerEvent> eventType = LedgerEvent.TYPES.get(new String(type.value(), StandardCharsets.UTF_8));
        if (!HOLD_EVENTS.contains(eventType)) {
            return null;
        }
        try {
            LedgerEvent event = json.readerFor(eventType)
                    .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(record.value());
            if (event == null || holdIdMissing(event)) {
                throw new IllegalArgumentException("no holdId");
            }
            return event;
        } catch (Exception e) {
            unreadable.increment();
            LOG.warnf("skipping unreadable %s at %s-%d@%d: %s", eventType.getSimpleName(), record.topic(),
                    record.partition(), record.offset(), e.getMessage());
            return null;
        }
    }

    private static boolean holdIdMissing(LedgerEvent event) {
        if (event instanceof LedgerEvent.HoldPlaced placed) {
            return placed.holdId() == null;
        } else if (event instanceof LedgerEvent.HoldRejected rejected) {
            return rejected.holdId() == null;
        } else if (event instanceof LedgerEvent.HoldCaptured captured) {
            return captured.holdId() == null;
        } else if (event instanceof LedgerEvent.HoldVoided voided) {
            return voided.holdId() == null;
        }
        return ((LedgerEvent.HoldExpired) event).holdId() == null;
    }
}
