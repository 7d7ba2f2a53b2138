package dev.corebank.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corebank.outbox.CloudEvents;
import dev.corebank.platform.id.UuidV7;
import dev.corebank.platform.outbox.Outbox;
import dev.corebank.platform.outbox.OutboxEvent;
import dev.corebank.testing.FreshDatabases;
import dev.corebank.testing.LocalStack;
import dev.corebank.testing.OutboxDatabases;
import dev.corebank.testing.RelayProcess;
import dev.corebank.testing.RunId;
import dev.corebank.testing.TopicReader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import static dev.corebank.bench.Figures.millis;

/**
 * Measures the outbox → relay → Kafka path with the packaged relay as a real process:
 *
 * <ol>
 *   <li>backlog drain: events committed while no relay runs, then one relay starts; its drain rate is the
 *       relay's throughput;</li>
 *   <li>commit-to-consume latency at a fixed offered rate, open loop (writes are issued on a clock, not
 *       after the previous one finished), one event per transaction.</li>
 * </ol>
 *
 * <p>Prints figures, asserts nothing. Run through {@code bin/bench relay}, which also runs the broker's own
 * EndToEndLatency and ProducerPerformance in the same run for comparison.
 */
public final class RelayBenchmark {

    private static final String SOURCE = "accounts";
    private static final String OWNER = "account_svc";

    record Payment(String accountId, long amount, String currency, String reference) {
    }

    private final LocalStack stack;
    private final Vertx vertx = Vertx.vertx();
    private final Outbox outbox = new Outbox(new ObjectMapper(), new SimpleMeterRegistry());
    private final String topic = "bench-relay-" + RunId.VALUE;

    private RelayBenchmark(LocalStack stack) {
        this.stack = stack;
    }

    public static void main(String[] args) throws Exception {
        int backlog = Integer.getInteger("backlog", 200_000);
        int rate = Integer.getInteger("rate", 1_000);
        int seconds = Integer.getInteger("seconds", 30);
        int warmup = Integer.getInteger("warmup", 10);
        LocalStack stack = LocalStack.fromEnvironment()
                .orElseThrow(() -> new IllegalStateException("run through bin/bench, which sets the local stack"));
        new RelayBenchmark(stack).run(backlog, rate, seconds, warmup);
        System.exit(0);
    }

    private void run(int backlog, int rate, int seconds, int warmup) throws Exception {
        try (FreshDatabases databases = new FreshDatabases(stack)) {
            String database = OutboxDatabases.create(stack, databases, "bench", OWNER);
            Pool pool = PgBuilder.pool()
                    .connectingTo(PgConnectOptions.fromUri(stack.reactiveUrl(database)).setUser(OWNER))
                    .with(new PoolOptions().setMaxSize(8))
                    .using(vertx)
                    .build();
            try (Consumer consumer = new Consumer()) {
                long appendStart = System.nanoTime();
                preload(pool, backlog);
                double appendSeconds = seconds(System.nanoTime() - appendStart);
                System.out.printf("backlog: %,d events committed in %.1f s (%,.0f events/s, 100 per transaction, 4 writers)%n",
                        backlog, appendSeconds, backlog / appendSeconds);

                try (RelayProcess relay = RelayProcess.start("bench", stack, SOURCE, database,
                        Path.of(".stack", "logs", "bench-relay.log"))) {
                    consumer.awaitCount(backlog, Duration.ofMinutes(5));
                    double drain = seconds(consumer.lastAt() - consumer.firstAt());
                    System.out.printf("relay throughput (backlog drain, 1 instance): %,d events in %.2f s = %,.0f events/s%n",
                            backlog, drain, backlog / drain);

                    latencyAt(pool, consumer, rate, warmup); // JIT and pools settle; figures discarded
                    Histogram latency = latencyAt(pool, consumer, rate, seconds);
                    System.out.printf("commit-to-consume latency at %,d events/s offered for %d s after %d s warm-up "
                                    + "(%,d events, 1 per transaction): p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  max %.1f ms%n",
                            rate, seconds, warmup, latency.getTotalCount(),
                            millis(latency.getValueAtPercentile(50)), millis(latency.getValueAtPercentile(95)),
                            millis(latency.getValueAtPercentile(99)), millis(latency.getMaxValue()));
                    System.out.println("relay status after the run: " + relay.status());
                }
            }
            pool.close().await().atMost(Duration.ofSeconds(10));
        } finally {
            vertx.closeAndAwait();
        }
    }

    private void preload(Pool pool, int events) {
        int perTransaction = 100;
        Multi.createFrom().range(0, events / perTransaction)
                .onItem().transformToUni(batch -> pool.withTransaction(tx -> outbox.append(tx, batchOf(perTransaction))))
                .merge(4)
                .collect().last()
                .await().atMost(Duration.ofMinutes(10));
    }

    /** Open loop: a write is issued every 1/rate s whether or not earlier ones finished. */
    private Histogram latencyAt(Pool pool, Consumer consumer, int rate, int seconds) throws InterruptedException {
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        consumer.measureInto(histogram);
        consumer.resetMeasured();
        int total = rate * seconds;
        AtomicLong issued = new AtomicLong();
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "bench-clock");
            thread.setDaemon(true);
            return thread;
        });
        long periodNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        clock.scheduleAtFixedRate(() -> {
            if (issued.incrementAndGet() > total) {
                return;
            }
            OutboxEvent event = eventFor("acc-" + ThreadLocalRandom.current().nextInt(1_000));
            pool.withTransaction(tx -> outbox.append(tx, event))
                    .subscribe().with(ok -> consumer.committed(event.id(), System.nanoTime()),
                            e -> System.err.println("write failed: " + e));
        }, 0, periodNanos, TimeUnit.NANOSECONDS);
        try {
            consumer.awaitMeasured(total, Duration.ofSeconds(seconds + 60L));
        } finally {
            clock.shutdownNow();
        }
        return histogram;
    }

    private List<OutboxEvent> batchOf(int size) {
        List<OutboxEvent> events = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            events.add(eventFor("acc-" + ThreadLocalRandom.current().nextInt(1_000)));
        }
        return events;
    }

    private OutboxEvent eventFor(String account) {
        return OutboxEvent.of(UuidV7.next(), topic, "Account", account,
                new Payment(account, ThreadLocalRandom.current().nextLong(1, 1_000_000), "EUR",
                        "bench-" + ThreadLocalRandom.current().nextLong()));
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** Reads the topic on its own thread; pairs each record with its commit time when measuring. */
    private final class Consumer implements AutoCloseable {

        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong count = new AtomicLong();
        private final AtomicLong measured = new AtomicLong();
        private final Map<UUID, Long> committedAt = new ConcurrentHashMap<>();
        private final Map<UUID, Long> consumedAt = new ConcurrentHashMap<>();
        private final Thread thread;
        private volatile long firstAt;
        private volatile long lastAt;
        private volatile Histogram histogram;

        Consumer() {
            Properties props = TopicReader.config(stack.kafkaBootstrap(), topic + "-bench", Map.of(
                    "fetch.min.bytes", "1",
                    "max.poll.records", "5000",
                    "value.deserializer", ByteArrayDeserializer.class.getName()));
            thread = new Thread(() -> {
                try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
                    consumer.subscribe(List.of(topic));
                    while (running.get()) {
                        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                            received(record, System.nanoTime());
                        }
                    }
                }
            }, "bench-consumer");
            thread.start();
        }

        private void received(ConsumerRecord<String, byte[]> record, long now) {
            if (count.getAndIncrement() == 0) {
                firstAt = now;
            }
            lastAt = now;
            if (histogram == null) {
                return;
            }
            UUID id = UUID.fromString(new String(record.headers().lastHeader(CloudEvents.ID).value(), StandardCharsets.UTF_8));
            synchronized (this) {
                Long committed = committedAt.remove(id);
                if (committed == null) {
                    consumedAt.put(id, now); // consumed before the writer saw its commit acknowledged
                } else {
                    record(now - committed);
                }
            }
        }

        /** Pairs with {@link #received} under one lock, so neither side can miss the other. */
        synchronized void committed(UUID id, long now) {
            Long consumed = consumedAt.remove(id);
            if (consumed == null) {
                committedAt.put(id, now);
            } else {
                record(Math.max(0, consumed - now));
            }
        }

        private synchronized void record(long nanos) {
            histogram.recordValue(Math.min(nanos, histogram.getHighestTrackableValue()));
            measured.incrementAndGet();
        }

        void measureInto(Histogram target) {
            histogram = target;
        }

        void resetMeasured() {
            measured.set(0);
        }

        long firstAt() {
            return firstAt;
        }

        long lastAt() {
            return lastAt;
        }

        void awaitCount(long expected, Duration timeout) throws InterruptedException {
            awaitUntil(() -> count.get() >= expected, timeout, "records consumed: " + count.get() + "/" + expected);
        }

        void awaitMeasured(long expected, Duration timeout) throws InterruptedException {
            awaitUntil(() -> measured.get() >= expected, timeout, "latencies measured: " + measured.get() + "/" + expected);
        }

        private void awaitUntil(java.util.function.BooleanSupplier done, Duration timeout, String what)
                throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out: " + what);
                }
                Thread.sleep(20);
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(5_000);
        }
    }
}
