package dev.corebank.relay;

import dev.corebank.relay.lane.Lane;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;

/** The meters of one source's relay, all tagged with the source. */
final class RelayMeters {

    private final String source;
    private final MeterRegistry registry;
    private final Counter published;
    private final Counter deadLettered;
    private final Counter refused;
    private final DistributionSummary batchSizes;
    private final Timer publishLatency;
    private final AtomicLong publishedTotal = new AtomicLong();
    private volatile int lastBatchSize;

    RelayMeters(String source, MeterRegistry registry, DoubleSupplier lagSeconds, IntSupplier ownedLanes,
            IntSupplier failingLanes) {
        this.source = source;
        this.registry = registry;
        this.published = Counter.builder("relay.events.published")
                .description("Outbox rows published to Kafka and acknowledged")
                .tag("source", source)
                .register(registry);
        this.deadLettered = Counter.builder("relay.events.dead_lettered")
                .description("Outbox rows the broker would never take, sent to the dead-letter topic instead")
                .tag("source", source)
                .register(registry);
        this.refused = Counter.builder("relay.events.refused")
                .description("Outbox rows for a topic their source may not write, sent to the dead-letter topic instead")
                .tag("source", source)
                .register(registry);
        this.batchSizes = DistributionSummary.builder("relay.batch.size")
                .description("Rows per published batch")
                .tag("source", source)
                .register(registry);
        this.publishLatency = Timer.builder("relay.publish.latency")
                .description("From reading a batch to the broker's acknowledgement of all of it")
                .tag("source", source)
                .publishPercentileHistogram()
                .register(registry);
        Gauge.builder("relay.lag.seconds", lagSeconds::getAsDouble)
                .description("Age of the oldest outbox row no instance has published yet")
                .tag("source", source)
                .register(registry);
        Gauge.builder("relay.lanes.owned", ownedLanes::getAsInt)
                .description("Lanes of this source that this instance publishes")
                .tag("source", source)
                .register(registry);
        Gauge.builder("relay.lanes.failing", failingLanes::getAsInt)
                .description("Lanes of this source whose rows the broker keeps refusing, retried alone with back-off")
                .tag("source", source)
                .register(registry);
    }

    /**
     * An attempt at {@code lane}'s rows was refused. Its meters are made at its first failure: a source has 32
     * lanes, and most never fail.
     */
    void laneFailed(Lane lane) {
        String id = String.valueOf(lane.id());
        Counter.builder("relay.lane.failures")
                .description("Attempts at a lane's rows that the broker refused")
                .tags("source", source, "lane", id)
                .register(registry)
                .increment();
        Gauge.builder("relay.lane.failing", lane, failing -> failing.isFailing() ? 1 : 0)
                .description("1 while the broker keeps refusing the lane's rows, 0 once it takes them")
                .tags("source", source, "lane", id)
                .register(registry);
    }

    /** A batch of {@code rows} read at {@code startedNanos} is all acknowledged (or dead-lettered). */
    void batchPublished(int rows, long startedNanos) {
        published.increment(rows);
        publishedTotal.addAndGet(rows);
        batchSizes.record(rows);
        publishLatency.record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
        lastBatchSize = rows;
    }

    void deadLettered(int rows) {
        deadLettered.increment(rows);
    }

    /** Rows for a topic their source may not write: dead-lettered, and counted as refused too. */
    void refused(int rows) {
        refused.increment(rows);
        deadLettered.increment(rows);
    }

    long publishedTotal() {
        return publishedTotal.get();
    }

    int lastBatchSize() {
        return lastBatchSize;
    }

    double meanPublishMillis() {
        return publishLatency.mean(TimeUnit.MILLISECONDS);
    }
}
