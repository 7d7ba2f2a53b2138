package dev.corebank.platform.messaging;

import dev.corebank.platform.inbox.InboxConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * How a Kafka consumer waits out a dependency that is away (its database, Redis): the batch that met the outage
 * is tried again, backing off to a cap, for as long as the outage lasts, and is then acknowledged as usual. The
 * connector keeps polling with the partitions paused meanwhile, so the consumer keeps its place in the group,
 * skips nothing and catches up by itself (docs/adr/0007-consumers-wait-out-outages.md).
 *
 * <p>Liveness does not watch such a wait: restarting the process would not bring the dependency back. It shows as
 * {@code messaging_consumer_waiting_seconds{channel}} (0 while the consumer flows) and
 * {@code messaging_consumer_retries_total{channel}}, to alert on.
 */
public final class OutageRetry {

    private static final Logger LOG = Logger.getLogger(OutageRetry.class);

    private final String channel;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Counter retries;
    private final AtomicLong waitingSince = new AtomicLong();

    /** For the consumer of {@code channel}, backing off as {@code config} says. */
    public OutageRetry(String channel, InboxConfig config, MeterRegistry registry) {
        this.channel = channel;
        this.initialBackoff = config.initialBackoff();
        this.maxBackoff = config.maxBackoff();
        this.retries = Counter.builder("messaging.consumer.retries")
                .description("Batches tried again because a dependency of the consumer was away")
                .tag("channel", channel)
                .register(registry);
        Gauge.builder("messaging.consumer.waiting", this, OutageRetry::waitingSeconds)
                .description("How long the consumer has been waiting for a dependency to come back (0: flowing)")
                .baseUnit("seconds")
                .tag("channel", channel)
                .register(registry);
    }

    /** {@code work}, tried again while it fails for a reason {@code away} says is a dependency being away. */
    public <T> Uni<T> patiently(Uni<T> work, Predicate<Throwable> away) {
        return work
                .onFailure(away).invoke(this::waiting)
                .onFailure(away).retry().withBackOff(initialBackoff, maxBackoff).indefinitely()
                .onItem().invoke(this::flowing)
                .onFailure().invoke(this::flowing);
    }

    private void waiting(Throwable failure) {
        retries.increment();
        if (waitingSince.compareAndSet(0, System.nanoTime())) {
            LOG.warnf("consumer of %s waits for a dependency (%s); its partitions are paused until it is back",
                    channel, failure.toString());
        }
    }

    private void flowing() {
        long since = waitingSince.getAndSet(0);
        if (since != 0) {
            LOG.infof("consumer of %s goes on after waiting %d s for a dependency", channel,
                    Duration.ofNanos(System.nanoTime() - since).toSeconds());
        }
    }

    private double waitingSeconds() {
        long since = waitingSince.get();
        return since == 0 ? 0 : (System.nanoTime() - since) / 1e9;
    }
}
