package dev.corebank.bench;

import dev.corebank.testing.Tokens;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corebank.testing.RunId;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Open-loop load on transfer-service's {@code POST /transfers}. Each request has an intended start on a fixed
 * clock (one every 1/rate s) and is issued then whatever earlier requests are doing; its latency runs from that
 * intended start, not from when it was actually sent, so a stall of the service (or of this client) shows in
 * the figures instead of quietly slowing the clock down. Each request asks to wait for its outcome
 * ({@code Prefer: wait=30}), so the answer itself carries COMPLETED or REJECTED; one that comes back 202 anyway
 * is polled with {@code GET /transfers/{id}} until final, and timed to then.
 *
 * <p>One Vert.x HTTP client on two event loops, no thread per request: the machine is shared with everything
 * under test, and the JDK's HttpClient spent 1.2-1.4 ms of CPU per transfer here, more than the ledger.
 * HTTP/1.1 takes a connection per request in flight, so at most {@code connections} are in flight and further
 * requests queue in this client, as behind any client's connection pool, still timed from their intended start.
 * Without that bound an overloaded step would open a connection per waiting request, tens of thousands.
 */
final class TransferLoad implements AutoCloseable {

    /** How long a request asks the service to wait for the ledger's answer: its most, so 202s stay rare. */
    private static final int WAIT_SECONDS = 30;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(WAIT_SECONDS + 5);
    private static final long POLL_EVERY_MILLIS = 20;
    /** A transfer still PENDING this long after its intended start is counted as PENDING and no longer polled. */
    private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(90);
    /** How long after a step's last intended start its requests may take to finish before the next step starts. */
    private static final Duration DRAIN_LIMIT = GIVE_UP_AFTER.plusSeconds(30);
    /** A request sent later than this after its intended start waited for a connection or for a late clock. */
    private static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long HIGHEST_NANOS = TimeUnit.MINUTES.toNanos(10);
    private static final int LARGEST_TRANSFER = 10_000;
    /** A teller's token: the bench measures the saga and the ledger, not ownership lookups (cached after the first). */
    private static final String AUTHORIZATION = Tokens.bearer(Tokens.mint("bench", "teller", "operator"));

    /** One step of offered load: {@code rate} transfers per second for {@code seconds}. */
    record Step(String label, int rate, int seconds) {

        long requests() {
            return (long) rate * seconds;
        }
    }

    /**
     * What one step came to. {@code completedInWindow} counts COMPLETED answers seen while the step was still
     * offering load; {@code late} the requests sent over 10 ms after their intended start; {@code latency} holds
     * every COMPLETED transfer's intended start to COMPLETED seen, in ns.
     * {@code outcomes} counts the other final statuses (and PENDING for transfers given up on), {@code errors}
     * the failed requests by HTTP status or exception; {@code unfinished} the requests still open when the drain
     * limit ran out, {@code dropped} those among them never sent. {@code from} and {@code to} bound the step's
     * transfers in wall time. {@code bySecond} holds the same latencies by the second of the step they were
     * offered in, so a step can tell a few stalls from queueing throughout.
     */
    record Result(Step step, long sentInWindow, long late, long completedInWindow, Histogram latency,
            List<Histogram> bySecond, Map<String, Long> outcomes, Map<String, Long> errors, long unfinished, long dropped,
            double drainSeconds, Instant from, Instant to) {

        double sendRate() {
            return sentInWindow / (double) step.seconds();
        }

        double completedPerSecond() {
            return completedInWindow / (double) step.seconds();
        }

        boolean drained() {
            return unfinished == 0;
        }
    }

    /** The request body of {@code POST /transfers}. */
    record CreateTransfer(UUID fromAccountId, UUID toAccountId, long amount, String currency, String description) {
    }

    /** How a request ended as the client saw it: a transfer's final status, or an error. */
    private record Ending(String label, boolean error) {

        static final Ending COMPLETED = new Ending("COMPLETED", false);

        static Ending status(String status) {
            return "COMPLETED".equals(status) ? COMPLETED : new Ending(status, false);
        }

        static Ending error(String what) {
            return new Ending(what, true);
        }
    }

    /** A request due at {@code intendedAt} (System.nanoTime) and the step it counts for. */
    private record Queued(long intendedAt, Tally tally) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A response as this client needs it. */
    private record Reply(int status, String body) {
    }

    private final List<UUID> accounts;
    private final String currency;
    private final int connections;
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(1));
    private final HttpClient http;
    private final ConcurrentLinkedQueue<Queued> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong keys = new AtomicLong();

    TransferLoad(String baseUrl, List<UUID> accounts, String currency, int connections) {
        URI base = URI.create(baseUrl);
        this.accounts = accounts;
        this.currency = currency;
        this.connections = connections;
        this.http = vertx.createHttpClient(new HttpClientOptions()
                        .setDefaultHost(base.getHost())
                        .setDefaultPort(base.getPort())
                        .setConnectTimeout(5_000)
                        .setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(connections));
    }

    /** Offers {@code step}'s load, then waits for its requests to finish (up to the drain limit). */
    Result run(Step step) throws InterruptedException {
        double periodNanos = 1e9 / step.rate();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
        Tally tally = new Tally(start, step.seconds());
        Instant from = Instant.now();
        for (long i = 0; i < step.requests(); i++) {
            long intendedAt = start + Math.round(i * periodNanos);
            sleepUntil(intendedAt);
            tally.unfinished.incrementAndGet();
            queue.add(new Queued(intendedAt, tally));
            pump();
        }
        sleepUntil(tally.windowEnd);
        double drainSeconds = awaitDrained(tally);
        // Requests of an overloaded step still waiting for a connection would otherwise load the next step.
        long dropped = Double.isNaN(drainSeconds) ? dropQueued(tally) : 0;
        return tally.result(step, dropped, drainSeconds, from, Instant.now());
    }

    @Override
    public void close() {
        // Closing Vert.x closes its clients too. Closing the client, then Vert.x, hung a run at its end (which of
        // the two never completed was not pinned down), so the close is bounded.
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            System.err.println("the HTTP client did not close cleanly: " + e);
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Sending

    /**
     * Sends queued requests while fewer than {@code connections} are in flight. Called by the clock and by every
     * request that finishes; the claim-then-poll order means a request queued while another thread gives its
     * claim back is still sent by one of the two.
     */
    private void pump() {
        while (true) {
            int now = inFlight.get();
            if (now >= connections) {
                return;
            }
            if (!inFlight.compareAndSet(now, now + 1)) {
                continue;
            }
            Queued next = queue.poll();
            if (next != null) {
                send(next);
                continue;
            }
            inFlight.decrementAndGet();
            if (queue.isEmpty()) {
                return;
            }
        }
    }

    private void send(Queued request) {
        request.tally().sent(request.intendedAt(), System.nanoTime());
        exchange(post(), body())
                .thenCompose(response -> outcome(response, request.intendedAt()))
                .exceptionally(TransferLoad::failed)
                .thenAccept(ending -> finished(request, ending, System.nanoTime()));
    }

    private void finished(Queued request, Ending ending, long seenAt) {
        inFlight.decrementAndGet();
        request.tally().record(request.intendedAt(), ending, seenAt);
        pump();
    }

    private CompletableFuture<Ending> outcome(Reply response, long intendedAt) {
        return switch (response.status()) {
            case 200 -> done(Ending.status(field(response, "status")));
            case 202 -> poll(field(response, "id"), intendedAt);
            default -> done(Ending.error("HTTP " + response.status() + " on POST"));
        };
    }

    /** Reads the transfer every {@value #POLL_EVERY_MILLIS} ms until it is final or the benchmark gives up on it. */
    private CompletableFuture<Ending> poll(String id, long intendedAt) {
        if (System.nanoTime() - intendedAt > GIVE_UP_AFTER.toNanos()) {
            return done(Ending.status("PENDING"));
        }
        CompletableFuture<Void> delay = new CompletableFuture<>();
        vertx.setTimer(POLL_EVERY_MILLIS, timer -> delay.complete(null));
        return delay
                .thenCompose(ignored -> exchange(get(id), null))
                .thenCompose(response -> {
                    if (response.status() != 200) {
                        return done(Ending.error("HTTP " + response.status() + " on GET"));
                    }
                    String status = field(response, "status");
                    return "PENDING".equals(status) ? poll(id, intendedAt) : done(Ending.status(status));
                });
    }

    /** One request and its whole response body; {@code body} null sends none. */
    private CompletableFuture<Reply> exchange(RequestOptions request, String body) {
        return http.request(request)
                .compose(sent -> body == null ? sent.send() : sent.send(body))
                .compose(response -> response.body().map(read -> new Reply(response.statusCode(), read.toString())))
                .toCompletionStage()
                .toCompletableFuture();
    }

    private RequestOptions post() {
        return new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setURI("/transfers")
                .setIdleTimeout(REQUEST_TIMEOUT.toMillis())
                .putHeader("Content-Type", "application/json")
                .putHeader("Idempotency-Key", "bench-" + RunId.VALUE + "-" + keys.incrementAndGet())
                .putHeader("Authorization", AUTHORIZATION)
                .putHeader("Prefer", "wait=" + WAIT_SECONDS);
    }

    private static RequestOptions get(String id) {
        return new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setURI("/transfers/" + id)
                .setIdleTimeout(REQUEST_TIMEOUT.toMillis())
                .putHeader("Authorization", AUTHORIZATION);
    }

    /** A uniformly random pair of different accounts; small amounts, so no account runs dry. */
    private String body() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int from = random.nextInt(accounts.size());
        int to = (from + 1 + random.nextInt(accounts.size() - 1)) % accounts.size();
        try {
            return JSON.writeValueAsString(new CreateTransfer(accounts.get(from), accounts.get(to),
                    1 + random.nextInt(LARGEST_TRANSFER), currency, "bench"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a transfer request always serializes", e);
        }
    }

    private static String field(Reply response, String name) {
        try {
            JsonNode body = JSON.readTree(response.body());
            return body.path(name).asText();
        } catch (IOException e) {
            throw new IllegalStateException("not a transfer: " + response.body(), e);
        }
    }

    private static Ending failed(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return Ending.error(cause.getClass().getSimpleName());
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    // ---------------------------------------------------------------------------------------------------
    // Waiting

    private static void sleepUntil(long nanoTime) {
        for (long left = nanoTime - System.nanoTime(); left > 0; left = nanoTime - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    private long dropQueued(Tally tally) {
        long dropped = 0;
        for (Queued queued : queue) {
            if (queued.tally() == tally && queue.remove(queued)) {
                dropped++;
            }
        }
        return dropped;
    }

    /** Seconds from the step's end until its last request finished, or NaN if some did not within the limit. */
    private static double awaitDrained(Tally tally) throws InterruptedException {
        long deadline = tally.windowEnd + DRAIN_LIMIT.toNanos();
        while (tally.unfinished.get() > 0) {
            if (System.nanoTime() > deadline) {
                return Double.NaN;
            }
            Thread.sleep(10);
        }
        return Math.max(0, tally.lastSeenAt.get() - tally.windowEnd) / 1e9;
    }

    /** One step's counts, filled in by the clock and the HTTP client's threads. */
    private static final class Tally {

        private final long windowStart;
        private final long windowEnd;
        private final Histogram latency = new ConcurrentHistogram(HIGHEST_NANOS, 3);
        private final List<Histogram> bySecond;
        private final LongAdder sentInWindow = new LongAdder();
        private final LongAdder late = new LongAdder();
        private final LongAdder completedInWindow = new LongAdder();
        private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
        private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        private final AtomicLong unfinished = new AtomicLong();
        private final AtomicLong lastSeenAt = new AtomicLong();

        Tally(long windowStart, int seconds) {
            this.windowStart = windowStart;
            this.windowEnd = windowStart + TimeUnit.SECONDS.toNanos(seconds);
            this.bySecond = IntStream.range(0, seconds)
                    .mapToObj(second -> (Histogram) new ConcurrentHistogram(HIGHEST_NANOS, 2))
                    .toList();
        }

        void sent(long intendedAt, long at) {
            if (at <= windowEnd) {
                sentInWindow.increment();
            }
            if (at - intendedAt > LATE_NANOS) {
                late.increment();
            }
        }

        void record(long intendedAt, Ending ending, long seenAt) {
            if (ending == Ending.COMPLETED) {
                long nanos = Math.min(seenAt - intendedAt, HIGHEST_NANOS);
                latency.recordValue(nanos);
                int second = (int) TimeUnit.NANOSECONDS.toSeconds(intendedAt - windowStart);
                bySecond.get(Math.min(second, bySecond.size() - 1)).recordValue(nanos);
                if (seenAt <= windowEnd) {
                    completedInWindow.increment();
                }
            } else {
                (ending.error() ? errors : outcomes).computeIfAbsent(ending.label(), label -> new LongAdder()).increment();
            }
            lastSeenAt.accumulateAndGet(seenAt, Math::max);
            unfinished.decrementAndGet();
        }

        Result result(Step step, long dropped, double drainSeconds, Instant from, Instant to) {
            return new Result(step, sentInWindow.sum(), late.sum(), completedInWindow.sum(), latency.copy(),
                    bySecond.stream().map(Histogram::copy).toList(), sums(outcomes), sums(errors), unfinished.get(), dropped,
                    drainSeconds, from, to);
        }

        private static Map<String, Long> sums(Map<String, LongAdder> counts) {
            Map<String, Long> sums = new TreeMap<>();
            counts.forEach((label, count) -> sums.put(label, count.sum()));
            return sums;
        }
    }
}
