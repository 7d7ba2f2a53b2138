package dev.corebank.transfer.transfers;

import dev.corebank.platform.messaging.Backoff;
import dev.corebank.transfer.config.TransferConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Re-sends the ledger command of each transfer still PENDING {@code resend-after} after its command was
 * last sent, that wait doubling with each re-send up to {@code max-backoff} (see Backoff): a command lost
 * on the way, or a ledger that was down when its retention ran out, never leaves a transfer pending for
 * good. The ledger applies a command id once, so a re-send that was not needed only fetches the stored
 * answer again. There is no last re-send: a transfer cannot be taken back by its sender, so giving up
 * would only leave its outcome unknown.
 */
@Singleton
public class PendingSweeper {

    private static final Logger LOG = Logger.getLogger(PendingSweeper.class);

    private final TransferService transfers;
    private final TransferConfig.Sweeper config;
    private final Backoff backoff;
    private final Counter resent;
    private final AtomicLong pending = new AtomicLong();
    private volatile boolean stopping;

    public PendingSweeper(TransferService transfers, TransferConfig config, MeterRegistry registry) {
        this.transfers = transfers;
        this.config = config.sweeper();
        this.backoff = new Backoff(this.config.resendAfter(), this.config.maxBackoff());
        this.resent = Counter.builder("transfers.commands.resent")
                .description("Ledger commands re-sent for transfers that stayed PENDING")
                .register(registry);
        Gauge.builder("transfers.pending", pending, AtomicLong::get)
                .description("Transfers waiting for the ledger's answer, as of the last sweep")
                .register(registry);
    }

    void onStop(@Observes ShutdownEvent stop) {
        stopping = true;
    }

    @Scheduled(every = "${corebank.transfers.sweeper.interval:PT5S}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        if (stopping) {
            // The pool is closing: a sweep now would only fail. The next replica's sweeper carries on.
            return Uni.createFrom().voidItem();
        }
        return transfers.resendStale(backoff, config.batch())
                .invoke(count -> {
                    if (count > 0) {
                        resent.increment(count);
                        LOG.infof("re-sent the ledger commands of %d transfers pending for over %s", count, config.resendAfter());
                    }
                })
                .chain(transfers::pendingCount)
                .invoke(pending::set)
                .onFailure().invoke(e -> LOG.warnf("sweep failed (%s); next one in %s", e.getMessage(), config.interval()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
