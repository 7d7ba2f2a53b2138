package dev.corebank.account.ledger;

import dev.corebank.account.config.LedgerConfig;
import dev.corebank.account.hold.Hold;
import dev.corebank.account.hold.HoldRepository;
import dev.corebank.messages.ledger.LedgerEvent.HoldExpired;
import dev.corebank.platform.id.UuidV7;
import dev.corebank.platform.outbox.OutboxEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Releases placed holds whose expiry has passed. Finds them without locks (the partial index on open
 * holds), then locks their accounts and the holds in the ledger's order and expires those still placed:
 * a capture or void that won the race simply leaves nothing to expire.
 */
@Singleton
public class HoldExpiry {

    private static final Logger LOG = Logger.getLogger(HoldExpiry.class);

    private final Pool pool;
    private final HoldRepository holds;
    private final Ledger ledger;
    private final LedgerConfig config;
    private final Counter expired;
    private volatile boolean stopping;

    public HoldExpiry(Pool pool, HoldRepository holds, Ledger ledger, LedgerConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.holds = holds;
        this.ledger = ledger;
        this.config = config;
        this.expired = Counter.builder("ledger.holds.expired")
                .description("Holds released because nobody captured or voided them in time")
                .register(registry);
    }

    /** The scheduler outlives the database pool at shutdown; a sweep then would only fail. */
    void onStop(@Observes ShutdownEvent stop) {
        stopping = true;
    }

    @Scheduled(every = "${corebank.ledger.hold-expiry-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        if (stopping) {
            return Uni.createFrom().voidItem();
        }
        return expireDue()
                .onFailure().invoke(e -> LOG.warn("hold expiry failed; retried next interval", e))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Expires up to one batch of due holds; returns how many it expired. */
    public Uni<Integer> expireDue() {
        return holds.expired(pool, Instant.now(), config.holdExpiryBatch())
                .chain(due -> due.isEmpty() ? Uni.createFrom().item(0) : pool.withTransaction(tx -> expire(tx, due)));
    }

    private Uni<Integer> expire(SqlConnection tx, List<Hold> due) {
        Set<UUID> accounts = new LinkedHashSet<>();
        due.forEach(hold -> {
            accounts.add(hold.accountId());
            accounts.add(hold.creditAccountId());
        });
        return ledger.lock(tx, accounts, due.stream().map(Hold::id).toList())
                .chain(batch -> {
                    List<OutboxEvent> events = expireAll(batch, due);
                    return ledger.write(tx, batch, List.of(), events)
                            .invoke(() -> expired.increment(events.size()))
                            .replaceWith(events.size());
                });
    }

    private List<OutboxEvent> expireAll(LedgerBatch batch, List<Hold> due) {
        List<OutboxEvent> events = new ArrayList<>();
        for (Hold hold : due) {
            try {
                HoldExpired event = batch.expire(hold.id());
                events.add(ledger.event(UuidV7.next(), "hold", hold.id(), event));
            } catch (LedgerRejection resolvedMeanwhile) {
                LOG.debugf("hold %s was resolved before it could expire", hold.id());
            }
        }
        return events;
    }
}
