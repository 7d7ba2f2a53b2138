package dev.corebank.account.messaging;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corebank.account.readmodel.AccountReadModel;
import dev.corebank.messages.ledger.AccountChanged;
import dev.corebank.platform.inbox.InboxConfig;
import dev.corebank.platform.messaging.OutageRetry;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Keeps the Redis read model up to date from the ledger's own {@code ledger.accounts} events. No inbox is
 * needed: a state is written only if its version is newer, so replays and duplicates are no-ops. Of each
 * poll only the newest state per account is written.
 *
 * <p>While Redis is down or does not answer, the projection waits ({@link OutageRetry}: reads fall back to
 * PostgreSQL meanwhile); once it is back, the backlog is applied and the read model heals.
 */
@ApplicationScoped
public class AccountProjection {

    private static final Logger LOG = Logger.getLogger(AccountProjection.class);

    private final AccountReadModel readModel;
    private final ObjectMapper json;
    private final MeterRegistry registry;
    private final OutageRetry outages;

    public AccountProjection(AccountReadModel readModel, ObjectMapper json, InboxConfig retries, MeterRegistry registry) {
        this.readModel = readModel;
        this.json = json;
        this.registry = registry;
        this.outages = new OutageRetry("account-changes", retries, registry);
    }

    @Incoming("account-changes")
    public Uni<Void> project(ConsumerRecords<String, String> records) {
        Map<UUID, AccountChanged> newest = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            AccountChanged state = parse(record);
            if (state != null) {
                newest.merge(state.accountId(), state, (a, b) -> a.version() >= b.version() ? a : b);
            }
        }
        if (newest.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // Every failure of a Redis write says Redis is away (or was flushed mid-script): none is about the events.
        return outages.patiently(readModel.putAll(newest.values()), failure -> true)
                .invoke(stored -> registry.counter("readmodel.accounts.written").increment(stored))
                .replaceWithVoid();
    }

    private AccountChanged parse(ConsumerRecord<String, String> record) {
        try {
            return json.readerFor(AccountChanged.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(record.value());
        } catch (Exception e) {
            // A read model can skip what it cannot read: PostgreSQL stays the truth and GET falls back to it.
            registry.counter("readmodel.accounts.unreadable").increment();
            LOG.errorf("skipping unreadable account event %s-%d@%d: %s", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return null;
        }
    }
}
