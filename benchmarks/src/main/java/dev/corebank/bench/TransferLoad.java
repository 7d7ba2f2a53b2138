package dev.corebank.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corebank.bench.OpenLoop.Reply;
import dev.corebank.testing.Tokens;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * Open-loop load on transfer-service's {@code POST /transfers} (see {@link OpenLoop}). Each request asks to wait
 * for its outcome ({@code Prefer: wait=30}), so the answer itself carries COMPLETED or REJECTED; one that comes
 * back 202 anyway is polled with {@code GET /transfers/{id}} until final, and timed to then.
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
    private static final int LARGEST_TRANSFER = 10_000;
    /** A teller's token: the bench measures the saga and the ledger, not ownership lookups (cached after the first). */
    private static final String AUTHORIZATION = Tokens.bearer(Tokens.mint("bench", "teller", "operator"));

    /** One step of offered load: {@code rate} transfers per second for {@code seconds}. */
    record Step(String label, int rate, int seconds) {
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

        /** Every transfer of the step that completed, in its window or after. */
        long completed() {
            return latency.getTotalCount();
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

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<UUID> accounts;
    private final String currency;
    private final OpenLoop loop;

    TransferLoad(String baseUrl, List<UUID> accounts, String currency, int connections) {
        this.accounts = accounts;
        this.currency = currency;
        this.loop = new OpenLoop(baseUrl, connections);
    }

    /** Offers {@code step}'s load, then waits for its requests to finish (up to the drain limit). */
    Result run(Step step) throws InterruptedException {
        Tally tally = new Tally(step.seconds());
        Instant from = Instant.now();
        loop.offer(tally, step.rate(), intendedAt -> send(tally, intendedAt));
        double drainSeconds = tally.awaitDrained(DRAIN_LIMIT);
        long dropped = Double.isNaN(drainSeconds) ? loop.dropQueued(tally) : 0;
        return tally.result(step, dropped, drainSeconds, from, Instant.now());
    }

    @Override
    public void close() {
        loop.close();
    }

    // ---------------------------------------------------------------------------------------------------
    // Sending

    /** A request, polled until final if it comes back 202: its connection is taken until then. */
    private CompletableFuture<Void> send(Tally tally, long intendedAt) {
        return loop.exchange(post(), body())
                .thenCompose(response -> outcome(response, intendedAt))
                .exceptionally(failure -> Ending.error(OpenLoop.failure(failure)))
                .thenAccept(ending -> tally.record(intendedAt, ending, System.nanoTime()));
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
        return loop.delay(POLL_EVERY_MILLIS)
                .thenCompose(ignored -> loop.exchange(get(id), null))
                .thenCompose(response -> {
                    if (response.status() != 200) {
                        return done(Ending.error("HTTP " + response.status() + " on GET"));
                    }
                    String status = field(response, "status");
                    return "PENDING".equals(status) ? poll(id, intendedAt) : done(Ending.status(status));
                });
    }

    private RequestOptions post() {
        return new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setURI("/transfers")
                .setIdleTimeout(REQUEST_TIMEOUT.toMillis())
                .putHeader("Content-Type", "application/json")
                .putHeader("Idempotency-Key", loop.nextKey())
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

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    /** One step's counts, filled in by the clock and the HTTP client's threads. */
    private static final class Tally extends OpenLoop.Window {

        private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
        private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

        Tally(int seconds) {
            super(seconds);
        }

        void record(long intendedAt, Ending ending, long seenAt) {
            if (ending == Ending.COMPLETED) {
                succeeded(intendedAt, seenAt);
            } else {
                (ending.error() ? errors : outcomes).computeIfAbsent(ending.label(), label -> new LongAdder()).increment();
            }
            finished(seenAt);
        }

        Result result(Step step, long dropped, double drainSeconds, Instant from, Instant to) {
            return new Result(step, sentInWindow.sum(), late.sum(), succeededInWindow.sum(), latency.copy(),
                    bySecondCopy(), sums(outcomes), sums(errors), unfinished.get(), dropped, drainSeconds, from, to);
        }
    }
}
