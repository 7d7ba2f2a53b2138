package dev.corebank.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corebank.bench.OpenLoop.Reply;
import dev.corebank.outbox.CloudEvents;
import dev.corebank.testing.RunId;
import dev.corebank.testing.Tokens;
import dev.corebank.testing.TopicReader;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Open-loop load on order-saga-service's {@code POST /orders}, timed to the order's {@code OrderConfirmed} on the
 * order-events topic. Each order has an intended start on a fixed clock (one every 1/rate s) and is issued then
 * whatever earlier orders are doing; its latency runs from that intended start to the moment this client's own
 * consumer of the order-events topic reads the order's {@code OrderConfirmed}, so a stall anywhere (service,
 * ledger, relay, broker, or this client) shows in the figures instead of quietly slowing the clock down.
 *
 * <p>Requests do not ask to wait ({@code Prefer: wait}): the clock stops at the consumer, not at the HTTP answer,
 * so holding a connection open for the outcome would buy nothing. The answer (202, or 200 if already final) gives
 * the order's id, which pairs the request with its event; either may come first. The time from intended start to
 * that answer is kept as well (the accept latency), and so is the service's own view of each confirmed order from
 * the event's payload ({@code placedAt} → {@code confirmedAt}), as a cross-check of the client's figure.
 *
 * <p>The clock and the HTTP client are {@link OpenLoop}'s, with at most {@code connections} requests in flight.
 */
final class OrderLoad implements AutoCloseable {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final long HIGHEST_NANOS = OpenLoop.HIGHEST_NANOS;
    /** A teller's token: the bench measures the saga and the ledger, not ownership lookups (cached after the first). */
    private static final String AUTHORIZATION = Tokens.bearer(Tokens.mint("bench", "teller", "operator"));
    /** How many orders still open at the drain limit are looked up with {@code GET /orders/{id}}, at most. */
    private static final int LOOKED_UP = 200;
    /** How many of those are shown with their saga log, which says the step they waited in. */
    private static final int SHOWN = 3;
    private static final String CONFIRMED = "OrderConfirmed";
    private static final String CANCELLED = "OrderCancelled";

    /**
     * One step of offered load: {@code rate} orders per second for {@code seconds}, each for one unit of a product
     * drawn uniformly from {@code skus}.
     */
    record Step(String label, int rate, int seconds, List<String> skus) {
    }

    /**
     * What one step came to. {@code confirmedInWindow} counts this step's orders whose OrderConfirmed was read
     * while the step was still offering load; {@code allConfirmedInWindow} every OrderConfirmed read in that time,
     * whichever step its order came from; {@code productsConfirmedInWindow} those of them for the step's products
     * (with a settle-in before it at the same rate, the step's throughput, not inflated by what an earlier step with
     * other products left undrained). {@code latency} holds every confirmed order's intended start to OrderConfirmed
     * read, {@code accept} every accepted order's intended start to the POST's answer, {@code serviceLatency} the
     * events' own {@code confirmedAt - placedAt}, {@code lastHop} {@code confirmedAt} to this client reading the
     * event (relay, broker, consumer; wall clocks of one machine); all in ns. {@code bySecond} holds {@code latency} by the second of the step
     * the order was offered in. {@code outcomes} counts orders that ended otherwise (by event type and reason),
     * {@code errors} failed requests by HTTP status or exception, with the first answer of each in
     * {@code errorSamples}; {@code unfinished} the orders still open when the drain limit ran out, {@code dropped}
     * those among them never sent, {@code stillOpen} the looked-up status of up to {@value #LOOKED_UP} of the others.
     */
    record Result(Step step, long sentInWindow, long late, long confirmedInWindow, long allConfirmedInWindow,
            long productsConfirmedInWindow, Histogram latency, Histogram accept, Histogram serviceLatency,
            Histogram lastHop, List<Histogram> bySecond,
            Map<String, Long> outcomes, Map<String, Long> errors, Map<String, String> errorSamples, long unfinished,
            long dropped, StillOpen stillOpen, double drainSeconds, Instant from, Instant to) {

        double sendRate() {
            return sentInWindow / (double) step.seconds();
        }

        /** Every order of the step whose OrderConfirmed was read, in its window or after. */
        long confirmed() {
            return latency.getTotalCount();
        }

        double confirmedPerSecond() {
            return confirmedInWindow / (double) step.seconds();
        }

        double allConfirmedPerSecond() {
            return allConfirmedInWindow / (double) step.seconds();
        }

        /** The step's throughput: OrderConfirmed read during its window for orders of its products. */
        double productsConfirmedPerSecond() {
            return productsConfirmedInWindow / (double) step.seconds();
        }

        boolean drained() {
            return unfinished == 0;
        }
    }

    /**
     * Orders still open at a drain limit whose POST was answered ({@code answered} of them, the others' POSTs were
     * not), as the service reports them: how many are in each status (of up to {@value #LOOKED_UP}), and the first
     * {@value #SHOWN} with their saga log ({@code id STATUS: STEP status at, ...}).
     */
    record StillOpen(int answered, Map<String, Long> statuses, List<String> samples) {

        static final StillOpen NONE = new StillOpen(0, Map.of(), List.of());

        boolean isEmpty() {
            return statuses.isEmpty();
        }
    }

    /** The request body of {@code POST /orders}. */
    record PlaceOrder(UUID customerAccountId, List<Item> items) {
    }

    record Item(String sku, int quantity) {
    }

    /** An order offered at {@code intendedAt} (System.nanoTime) and the step it counts for. */
    private record Offered(long intendedAt, Tally tally) {
    }

    /** How an order ended as the consumer read it; the instants are the payload's, null when absent. */
    private record Ending(String type, String reason, long seenAt, Instant seenWall, Instant placedAt,
            Instant confirmedAt) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<UUID> customers;
    private final OpenLoop loop;

    // Pairs each accepted order with its event, whichever arrives first; guarded by itself.
    private final Map<UUID, Offered> awaiting = new HashMap<>();
    private final Map<UUID, Ending> early = new HashMap<>();
    private final LongAdder postsAnswered = new LongAdder();
    private final LongAdder postsFailed = new LongAdder();
    private final Set<UUID> ended = new HashSet<>();
    private long duplicates;

    private final LongAdder confirmedSeen = new LongAdder();
    private final Map<String, LongAdder> confirmedBySku = new ConcurrentHashMap<>();
    private final AtomicBoolean consuming = new AtomicBoolean(true);
    private final Thread consumer;
    private final CompletableFuture<Void> assigned = new CompletableFuture<>();

    /**
     * Offers orders to {@code baseUrl} from {@code customers}, reading their outcomes from {@code orderEvents} on
     * the broker at {@code bootstrap}. Returns once the consumer has its partitions.
     */
    OrderLoad(String baseUrl, List<UUID> customers, int connections, String bootstrap, String orderEvents)
            throws Exception {
        this.customers = customers;
        this.loop = new OpenLoop(baseUrl, connections);
        this.consumer = new Thread(() -> consume(bootstrap, orderEvents), "bench-order-events");
        consumer.start();
        assigned.get(60, TimeUnit.SECONDS);
    }

    /**
     * Offers {@code step}'s load; then, if {@code drain}, waits up to {@code drainLimit} for its orders to end.
     * A settle-in runs without draining, so the step after it starts on the queues that rate builds up.
     */
    Result run(Step step, boolean drain, Duration drainLimit) throws InterruptedException {
        Tally tally = new Tally(step.seconds());
        Instant from = Instant.now();
        OpenLoop.sleepUntil(tally.start);
        long confirmedBefore = confirmedSeen.sum();
        long ownBefore = confirmedOf(step.skus());
        loop.offer(tally, step.rate(), intendedAt -> send(new Offered(intendedAt, tally), sku(step)));
        long confirmedInWindow = confirmedSeen.sum() - confirmedBefore;
        long ownInWindow = confirmedOf(step.skus()) - ownBefore;
        if (!drain) {
            return tally.result(step, confirmedInWindow, ownInWindow, 0, StillOpen.NONE, Double.NaN, from, Instant.now());
        }
        double drainSeconds = tally.awaitDrained(drainLimit);
        long dropped = 0;
        StillOpen stillOpen = StillOpen.NONE;
        if (Double.isNaN(drainSeconds)) {
            // Orders of an overloaded step still queued here would otherwise load the next step.
            dropped = loop.dropQueued(tally);
            stillOpen = lookUp(abandon(tally));
        }
        return tally.result(step, confirmedInWindow, ownInWindow, dropped, stillOpen, drainSeconds, from, Instant.now());
    }

    /** OrderConfirmed read so far for orders of any of {@code skus} (by the order's first line). */
    private long confirmedOf(List<String> skus) {
        long sum = 0;
        for (String sku : skus) {
            LongAdder count = confirmedBySku.get(sku);
            sum += count == null ? 0 : count.sum();
        }
        return sum;
    }

    /** Events read for an order id already ended: the contract is exactly one event per order. */
    long duplicates() {
        synchronized (awaiting) {
            return duplicates;
        }
    }

    /**
     * Events read for orders this client gave up on at a drain limit, or never learned the id of (a request that
     * failed after the order was made).
     */
    long unmatched() {
        synchronized (awaiting) {
            return early.size();
        }
    }

    /** POSTs this client got an answer to, whatever its status, over the whole run. */
    long postsAnswered() {
        return postsAnswered.sum();
    }

    /** POSTs that failed without an answer (connection closed, timed out), over the whole run. */
    long postsFailed() {
        return postsFailed.sum();
    }

    /** Up to {@code max} of the {@link #unmatched} orders' ids. */
    List<UUID> unmatchedIds(int max) {
        synchronized (awaiting) {
            return early.keySet().stream().limit(max).toList();
        }
    }

    @Override
    public void close() throws InterruptedException {
        consuming.set(false);
        consumer.join(10_000);
        loop.close();
    }

    // ---------------------------------------------------------------------------------------------------
    // Sending

    /** The POST: its connection is free again once it is answered; the outcome comes from the consumer. */
    private CompletableFuture<Void> send(Offered order, String sku) {
        return loop.exchange(post(), body(sku))
                .handle((reply, failure) -> {
                    long answeredAt = System.nanoTime();
                    (failure == null ? postsAnswered : postsFailed).increment();
                    if (failure != null) {
                        order.tally().failed(OpenLoop.failure(failure), null);
                    } else {
                        answered(order, reply, answeredAt);
                    }
                    return null;
                });
    }

    private void answered(Offered order, Reply reply, long answeredAt) {
        if (reply.status() != 200 && reply.status() != 202) {
            order.tally().failed("HTTP " + reply.status() + " on POST", reply.body());
            return;
        }
        UUID id;
        try {
            id = UUID.fromString(JSON.readTree(reply.body()).path("id").asText());
        } catch (IOException | IllegalArgumentException e) {
            order.tally().failed("HTTP " + reply.status() + " without an order id", reply.body());
            return;
        }
        order.tally().accepted(order.intendedAt(), answeredAt);
        Ending ending;
        synchronized (awaiting) {
            ending = early.remove(id);
            if (ending == null) {
                awaiting.put(id, order);
                return;
            }
            ended.add(id);
        }
        order.tally().ended(order.intendedAt(), ending);
    }

    private RequestOptions post() {
        return new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setURI("/orders")
                .setIdleTimeout(REQUEST_TIMEOUT.toMillis())
                .putHeader("Content-Type", "application/json")
                .putHeader("Idempotency-Key", loop.nextKey())
                .putHeader("Authorization", AUTHORIZATION);
    }

    private static RequestOptions get(UUID id) {
        return new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setURI("/orders/" + id)
                .setIdleTimeout(REQUEST_TIMEOUT.toMillis())
                .putHeader("Authorization", AUTHORIZATION);
    }

    /** One unit of {@code sku}, for a uniformly random customer. */
    private String body(String sku) {
        UUID customer = customers.get(ThreadLocalRandom.current().nextInt(customers.size()));
        try {
            return JSON.writeValueAsString(new PlaceOrder(customer, List.of(new Item(sku, 1))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an order request always serializes", e);
        }
    }

    private static String sku(Step step) {
        List<String> skus = step.skus();
        return skus.size() == 1 ? skus.get(0) : skus.get(ThreadLocalRandom.current().nextInt(skus.size()));
    }

    // ---------------------------------------------------------------------------------------------------
    // Reading the outcomes

    private void consume(String bootstrap, String topic) {
        try (KafkaConsumer<String, String> kafka = new KafkaConsumer<>(TopicReader.config(bootstrap,
                "bench-order-load-" + RunId.VALUE, Map.of("fetch.min.bytes", "1", "max.poll.records", "5000")))) {
            kafka.subscribe(List.of(topic));
            while (consuming.get()) {
                var records = kafka.poll(Duration.ofMillis(100));
                long seenAt = System.nanoTime();
                Instant seenWall = Instant.now();
                if (!assigned.isDone() && !kafka.assignment().isEmpty()) {
                    assigned.complete(null);
                }
                for (ConsumerRecord<String, String> record : records) {
                    read(record, seenAt, seenWall);
                }
            }
        } catch (RuntimeException e) {
            assigned.completeExceptionally(e);
            System.err.println("the order-events consumer stopped: " + e);
        }
    }

    private void read(ConsumerRecord<String, String> record, long seenAt, Instant seenWall) {
        String type = TopicReader.header(record, CloudEvents.TYPE);
        UUID id;
        Ending ending;
        try {
            id = UUID.fromString(record.key());
            JsonNode payload = JSON.readTree(record.value());
            ending = new Ending(type, payload.path("reason").asText(""), seenAt, seenWall,
                    instant(payload.path("placedAt")), instant(payload.path("confirmedAt")));
            if (CONFIRMED.equals(type)) {
                confirmedBySku.computeIfAbsent(payload.path("items").path(0).path("sku").asText(""),
                        sku -> new LongAdder()).increment();
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("an order event this client cannot read (" + e + "): " + record.key() + " " + record.value());
            return;
        }
        if (CONFIRMED.equals(type)) {
            confirmedSeen.increment();
        }
        Offered order;
        synchronized (awaiting) {
            if (ended.contains(id)) {
                duplicates++;
                return;
            }
            order = awaiting.remove(id);
            if (order == null) {
                early.put(id, ending);
                return;
            }
            ended.add(id);
        }
        order.tally().ended(order.intendedAt(), ending);
    }

    /** An ISO-8601 instant, or Jackson's numeric form (seconds with a fraction); null when absent. */
    private static Instant instant(JsonNode value) {
        if (value.isTextual()) {
            return Instant.parse(value.asText());
        }
        if (value.isNumber()) {
            BigDecimal seconds = value.decimalValue();
            return Instant.ofEpochSecond(seconds.longValue(),
                    seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------------------
    // Waiting

    /** The step's accepted orders still without an event, no longer waited for (a late event counts as unmatched). */
    private List<UUID> abandon(Tally tally) {
        List<UUID> abandoned = new ArrayList<>();
        synchronized (awaiting) {
            for (Iterator<Map.Entry<UUID, Offered>> it = awaiting.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<UUID, Offered> entry = it.next();
                if (entry.getValue().tally() == tally) {
                    abandoned.add(entry.getKey());
                    it.remove();
                }
            }
        }
        return abandoned;
    }

    /** The status the service gives each of (up to {@value #LOOKED_UP} of) {@code ids}, counted; the first few in full. */
    private StillOpen lookUp(List<UUID> ids) {
        Map<String, Long> statuses = new TreeMap<>();
        List<String> samples = new ArrayList<>();
        for (UUID id : ids.subList(0, Math.min(LOOKED_UP, ids.size()))) {
            String status;
            try {
                Reply reply = loop.exchange(get(id), null).get(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                if (reply.status() == 200) {
                    JsonNode order = JSON.readTree(reply.body());
                    status = order.path("status").asText("?");
                    if (samples.size() < SHOWN) {
                        samples.add(id + " " + status + ": " + sagaLog(order.path("steps")));
                    }
                } else {
                    status = "HTTP " + reply.status();
                }
            } catch (Exception e) {
                status = e.getClass().getSimpleName();
            }
            statuses.merge(status, 1L, Long::sum);
        }
        return new StillOpen(ids.size(), statuses, samples);
    }

    /** {@code PLACE_HOLD SENT 12:00:01.234Z, ...}: each step of an order's saga log with its time of day. */
    private static String sagaLog(JsonNode steps) {
        List<String> entries = new ArrayList<>();
        steps.forEach(step -> {
            String at = step.path("at").asText("");
            entries.add(step.path("name").asText("?") + " " + step.path("status").asText("?") + " "
                    + at.substring(at.indexOf('T') + 1));
        });
        return String.join(", ", entries);
    }

    /** One step's counts, filled in by the clock, the HTTP client's threads and the consumer. */
    private static final class Tally extends OpenLoop.Window {

        private final Histogram accept = new ConcurrentHistogram(HIGHEST_NANOS, 3);
        private final Histogram serviceLatency = new ConcurrentHistogram(HIGHEST_NANOS, 3);
        private final Histogram lastHop = new ConcurrentHistogram(HIGHEST_NANOS, 3);
        private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
        private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        private final Map<String, String> errorSamples = new ConcurrentHashMap<>();

        Tally(int seconds) {
            super(seconds);
        }

        void accepted(long intendedAt, long answeredAt) {
            accept.recordValue(clamp(answeredAt - intendedAt));
        }

        void failed(String what, String body) {
            errors.computeIfAbsent(what, label -> new LongAdder()).increment();
            if (body != null) {
                errorSamples.putIfAbsent(what, body.length() <= 300 ? body : body.substring(0, 300) + "...");
            }
            finished(System.nanoTime());
        }

        void ended(long intendedAt, Ending ending) {
            if (CONFIRMED.equals(ending.type())) {
                succeeded(intendedAt, ending.seenAt());
                if (ending.placedAt() != null && ending.confirmedAt() != null) {
                    serviceLatency.recordValue(clamp(Duration.between(ending.placedAt(), ending.confirmedAt()).toNanos()));
                    lastHop.recordValue(clamp(Duration.between(ending.confirmedAt(), ending.seenWall()).toNanos()));
                }
            } else {
                String label = CANCELLED.equals(ending.type()) ? "cancelled" : "event " + ending.type();
                String reason = ending.reason().isEmpty() ? label : label + " (" + ending.reason() + ")";
                outcomes.computeIfAbsent(reason, key -> new LongAdder()).increment();
            }
            finished(ending.seenAt());
        }

        Result result(Step step, long allConfirmedInWindow, long productsConfirmedInWindow, long dropped,
                StillOpen stillOpen, double drainSeconds, Instant from, Instant to) {
            return new Result(step, sentInWindow.sum(), late.sum(), succeededInWindow.sum(), allConfirmedInWindow,
                    productsConfirmedInWindow, latency.copy(), accept.copy(), serviceLatency.copy(), lastHop.copy(),
                    bySecondCopy(), sums(outcomes), sums(errors), new TreeMap<>(errorSamples), unfinished.get(), dropped,
                    stillOpen, drainSeconds, from, to);
        }
    }
}
