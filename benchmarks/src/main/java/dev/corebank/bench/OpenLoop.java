package dev.corebank.bench;

import dev.corebank.testing.RunId;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;
import java.util.stream.IntStream;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The open-loop clock and HTTP client under {@link TransferLoad} and {@link OrderLoad}. Each request has an
 * intended start on a fixed clock (one every 1/rate s) and is issued then whatever earlier requests are doing;
 * its latency runs from that intended start, not from when it was actually sent, so a stall of the service (or of
 * this client) shows in the figures instead of quietly slowing the clock down.
 *
 * <p>One Vert.x HTTP client on two event loops, no thread per request: the machine is shared with everything
 * under test, and the JDK's HttpClient spent 1.2-1.4 ms of CPU per transfer here, more than the ledger. HTTP/1.1
 * takes a connection per request in flight, so at most {@code connections} are in flight and further requests
 * queue here, as behind any client's connection pool, still timed from their intended start. Without that bound
 * an overloaded step would open a connection per waiting request, tens of thousands.
 */
final class OpenLoop implements AutoCloseable {

    /** A request sent later than this after its intended start waited for a connection or for a late clock. */
    private static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    static final long HIGHEST_NANOS = TimeUnit.MINUTES.toNanos(10);

    /** A response as a load needs it. */
    record Reply(int status, String body) {
    }

    /** A request due at {@code intendedAt} (System.nanoTime), the window it counts in, and what sends it. */
    private record Queued(long intendedAt, Window window, LongFunction<CompletableFuture<?>> send) {
    }

    private final int connections;
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(1));
    private final HttpClient http;
    private final ConcurrentLinkedQueue<Queued> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong keys = new AtomicLong();

    OpenLoop(String baseUrl, int connections) {
        URI base = URI.create(baseUrl);
        this.connections = connections;
        this.http = vertx.createHttpClient(new HttpClientOptions()
                        .setDefaultHost(base.getHost())
                        .setDefaultPort(base.getPort())
                        .setConnectTimeout(5_000)
                        .setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(connections));
    }

    /**
     * Offers {@code rate} requests a second over {@code window}: each is queued at its intended start and sent by
     * {@code send} (given that start) once a connection is free, which it is again when the returned future ends.
     * Returns at the window's end.
     */
    void offer(Window window, int rate, LongFunction<CompletableFuture<?>> send) {
        double periodNanos = 1e9 / rate;
        long requests = (long) rate * window.seconds();
        sleepUntil(window.start);
        for (long i = 0; i < requests; i++) {
            long intendedAt = window.start + Math.round(i * periodNanos);
            sleepUntil(intendedAt);
            window.unfinished.incrementAndGet();
            queue.add(new Queued(intendedAt, window, send));
            pump();
        }
        sleepUntil(window.end);
    }

    /** Takes {@code window}'s requests still waiting for a connection off the queue: they would load the next step. */
    long dropQueued(Window window) {
        long dropped = 0;
        for (Queued queued : queue) {
            if (queued.window() == window && queue.remove(queued)) {
                dropped++;
            }
        }
        return dropped;
    }

    /**
     * One request and its whole response body; {@code body} null sends none.
     *
     * <p>The body is asked for inside {@code send}'s own callback. Chained after it instead
     * ({@code request().compose(send).compose(body)}), which Vert.x's maintainers call racy (eclipse-vertx/vert.x#4705) when started off
     * its event loops as the load's clock thread does, {@code body()} can come after the response has ended and
     * its future then never completes: a POST left neither answered nor failed, its idle timeout never firing,
     * although the answer had reached the client, which sent its next request on the same connection 1.8 ms
     * later (tcpdump of a chaos run, journal 2026-12-08). With an idle timeout on the request the exchange still
     * fails (TimeoutException) a second after it, answered or not, so anything else of the kind is counted.
     */
    CompletableFuture<Reply> exchange(RequestOptions request, String body) {
        CompletableFuture<Reply> exchange = http.request(request)
                .compose(sent -> (body == null ? sent.send() : sent.send(body))
                        .compose(response -> response.body().map(read -> new Reply(response.statusCode(), read.toString()))))
                .toCompletionStage()
                .toCompletableFuture();
        long idle = request.getIdleTimeout();
        return idle > 0 ? exchange.orTimeout(idle + 1_000, TimeUnit.MILLISECONDS) : exchange;
    }

    /** A fresh Idempotency-Key, unique to this run. */
    String nextKey() {
        return "bench-" + RunId.VALUE + "-" + keys.incrementAndGet();
    }

    /** Completes after {@code millis}, on the client's event loop. */
    CompletableFuture<Void> delay(long millis) {
        CompletableFuture<Void> delay = new CompletableFuture<>();
        vertx.setTimer(millis, timer -> delay.complete(null));
        return delay;
    }

    /** What failed a request, by the exception's name. */
    static String failure(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause.getClass().getSimpleName();
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
        request.window().sent(request.intendedAt(), System.nanoTime());
        CompletableFuture<?> sent;
        try {
            sent = request.send().apply(request.intendedAt());
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((result, failure) -> {
            inFlight.decrementAndGet();
            pump();
        });
    }

    static void sleepUntil(long nanoTime) {
        for (long left = nanoTime - System.nanoTime(); left > 0; left = nanoTime - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    /**
     * One step's window on the clock and the counts every load keeps: requests sent in it and late, the latency of
     * the requests that succeeded (overall and by the second they were offered in, so a step can tell a few stalls
     * from queueing throughout), those that finished in the window, and how many are still open.
     */
    static class Window {

        final long start;
        final long end;
        final Histogram latency = new ConcurrentHistogram(HIGHEST_NANOS, 3);
        final List<Histogram> bySecond;
        final LongAdder sentInWindow = new LongAdder();
        final LongAdder late = new LongAdder();
        final LongAdder succeededInWindow = new LongAdder();
        final AtomicLong unfinished = new AtomicLong();
        private final AtomicLong lastEndedAt = new AtomicLong();

        /** A window of {@code seconds} starting 10 ms from now. */
        Window(int seconds) {
            this.start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
            this.end = start + TimeUnit.SECONDS.toNanos(seconds);
            this.bySecond = IntStream.range(0, seconds)
                    .mapToObj(second -> (Histogram) new ConcurrentHistogram(HIGHEST_NANOS, 2))
                    .toList();
        }

        int seconds() {
            return bySecond.size();
        }

        void sent(long intendedAt, long at) {
            if (at <= end) {
                sentInWindow.increment();
            }
            if (at - intendedAt > LATE_NANOS) {
                late.increment();
            }
        }

        /** A request offered at {@code intendedAt} succeeded, as seen at {@code seenAt}. */
        void succeeded(long intendedAt, long seenAt) {
            long nanos = clamp(seenAt - intendedAt);
            latency.recordValue(nanos);
            int second = (int) TimeUnit.NANOSECONDS.toSeconds(intendedAt - start);
            bySecond.get(Math.min(second, bySecond.size() - 1)).recordValue(nanos);
            if (seenAt <= end) {
                succeededInWindow.increment();
            }
        }

        /** A request is over, however it ended, at {@code seenAt}. */
        void finished(long seenAt) {
            lastEndedAt.accumulateAndGet(seenAt, Math::max);
            unfinished.decrementAndGet();
        }

        /** Seconds from the window's end until its last request ended, or NaN if some did not within {@code limit}. */
        double awaitDrained(Duration limit) throws InterruptedException {
            long deadline = end + limit.toNanos();
            while (unfinished.get() > 0) {
                if (System.nanoTime() > deadline) {
                    return Double.NaN;
                }
                Thread.sleep(10);
            }
            return Math.max(0, lastEndedAt.get() - end) / 1e9;
        }

        List<Histogram> bySecondCopy() {
            return bySecond.stream().map(Histogram::copy).toList();
        }

        /** Counts by label, sorted, as they stand. */
        static Map<String, Long> sums(Map<String, LongAdder> counts) {
            Map<String, Long> sums = new TreeMap<>();
            counts.forEach((label, count) -> sums.put(label, count.sum()));
            return sums;
        }

        static long clamp(long nanos) {
            return Math.min(Math.max(0, nanos), HIGHEST_NANOS);
        }
    }
}
