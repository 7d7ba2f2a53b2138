package dev.corebank.platform.batch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Serves concurrent callers' small units of work with shared batches, one transaction for many callers.
 *
 * <p>At most {@code maxInFlight} batches run at once. An item submitted while a slot is free runs at once, in
 * a batch of its own, so light load waits for nothing; items submitted while every slot is busy queue, and
 * the next free slot takes up to {@code maxBatch} of them together. The heavier the load, the larger the
 * batches, and the fewer commits and round trips per item.
 *
 * <p>The queue is bounded: past {@code maxQueued} waiting items a new one is refused at once with
 * {@link QueueFull} (503 over HTTP) rather than waiting behind work the database cannot catch up with; memory
 * and every queued caller's latency would otherwise grow without limit while the database is slow or away.
 *
 * <p>{@code work} gets a batch and answers with one result per item, in the batch's order. When a batch of
 * several items fails, each item is run again alone, so one bad item fails only its own caller. Work must
 * therefore be safe to run again for items whose first attempt failed: a rolled-back transaction is.
 *
 * @param <T> what a caller submits
 * @param <R> what that caller gets back
 */
public final class GroupCommit<T, R> {

    private final Function<List<T>, Uni<List<R>>> work;
    private final int maxBatch;
    private final int maxInFlight;
    private final int maxQueued;
    private final String name;
    private final DistributionSummary batchSizes;
    private final Counter refused;
    private final Queue<Pending<T, R>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger queued = new AtomicInteger();

    /**
     * {@code name} tags the metrics {@code group.commit.batch.size} and {@code group.commit.refused}; at most
     * {@code maxQueued} items wait for a slot.
     */
    public GroupCommit(String name, int maxBatch, int maxInFlight, int maxQueued, MeterRegistry registry,
            Function<List<T>, Uni<List<R>>> work) {
        if (maxBatch < 1 || maxInFlight < 1 || maxQueued < 1) {
            throw new IllegalArgumentException("maxBatch, maxInFlight and maxQueued must be at least 1");
        }
        this.name = name;
        this.work = work;
        this.maxBatch = maxBatch;
        this.maxInFlight = maxInFlight;
        this.maxQueued = maxQueued;
        this.refused = Counter.builder("group.commit.refused")
                .description("Items refused because the queue was full")
                .tag("batch", name)
                .register(registry);
        Gauge.builder("group.commit.queued", queued, AtomicInteger::get)
                .description("Items waiting for a batch")
                .tag("batch", name)
                .register(registry);
        this.batchSizes = DistributionSummary.builder("group.commit.batch.size")
                .description("Items served by one batch")
                .tag("batch", name)
                .register(registry);
    }

    /** {@code item}'s result, once the batch that takes it has run; {@link QueueFull} if the queue is full. */
    public Uni<R> submit(T item) {
        return Uni.createFrom().emitter(emitter -> {
            if (queued.incrementAndGet() > maxQueued) {
                queued.decrementAndGet();
                refused.increment();
                emitter.fail(new QueueFull(name, maxQueued));
                return;
            }
            queue.add(new Pending<>(item, emitter));
            drain();
        });
    }

    private record Pending<T, R>(T item, UniEmitter<? super R> caller) {
    }

    // Every path that adds an item or frees a slot calls this afterwards, so an item never waits in the queue
    // while a slot is free: whichever of the two happens last sees the other.
    private void drain() {
        while (!queue.isEmpty()) {
            int running = inFlight.get();
            if (running >= maxInFlight) {
                return;
            }
            if (!inFlight.compareAndSet(running, running + 1)) {
                continue;
            }
            List<Pending<T, R>> batch = new ArrayList<>();
            for (Pending<T, R> next; batch.size() < maxBatch && (next = queue.poll()) != null; ) {
                queued.decrementAndGet();
                batch.add(next);
            }
            if (batch.isEmpty()) {
                inFlight.decrementAndGet();
                continue;
            }
            batchSizes.record(batch.size());
            run(batch);
        }
    }

    private void run(List<Pending<T, R>> batch) {
        List<T> items = batch.stream().map(Pending::item).toList();
        attempt(items).subscribe().with(
                results -> {
                    for (int i = 0; i < batch.size(); i++) {
                        batch.get(i).caller().complete(results.get(i));
                    }
                    slotFreed();
                },
                failure -> {
                    if (batch.size() > 1) {
                        aloneFrom(batch, 0);
                    } else {
                        batch.forEach(pending -> pending.caller().fail(failure));
                        slotFreed();
                    }
                });
    }

    /** Runs {@code batch}'s items one at a time from {@code index} on, in the slot the failed batch held. */
    private void aloneFrom(List<Pending<T, R>> batch, int index) {
        if (index == batch.size()) {
            slotFreed();
            return;
        }
        Pending<T, R> pending = batch.get(index);
        attempt(List.of(pending.item())).subscribe().with(
                results -> {
                    pending.caller().complete(results.get(0));
                    aloneFrom(batch, index + 1);
                },
                failure -> {
                    pending.caller().fail(failure);
                    aloneFrom(batch, index + 1);
                });
    }

    /** The work on {@code items}; a {@code work} that throws fails the attempt like one that fails. */
    private Uni<List<R>> attempt(List<T> items) {
        return Uni.createFrom().deferred(() -> work.apply(items)).invoke(results -> {
            if (results.size() != items.size()) {
                throw new IllegalStateException(results.size() + " results for a batch of " + items.size());
            }
        });
    }

    private void slotFreed() {
        inFlight.decrementAndGet();
        drain();
    }
}
