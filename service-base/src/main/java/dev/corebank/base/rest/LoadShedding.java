package dev.corebank.base.rest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Iterator;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Refuses new requests at once, with a 503 problem and {@code Retry-After}, while the service cannot answer the
 * ones it holds in time: when {@code corebank.http.shedding.depth} of the requests in hand have been waiting
 * longer than {@code corebank.http.shedding.answer-target}. A process fresh from a restart, its JIT compiling
 * while the cores serve the rest of the stack, was seen to answer after 10 s and more for a minute
 * (bin/chaos kill-order); each request it took on lengthened every other's wait. Refused, a client retries
 * after a second with the same Idempotency-Key and is answered once the backlog has drained, and a request
 * refused here has done nothing: it never reached a resource.
 *
 * <p>Requests that ask to be held ({@code Prefer: wait}) are counted for neither rule: waiting is what they
 * asked for. The management endpoints ({@code /q/...}) are never refused, so probes and metrics still answer.
 */
@Singleton
public class LoadShedding {

    private static final String RETRY_AFTER_SECONDS = "1";

    private final SheddingConfig config;
    private final long targetNanos;
    private final ConcurrentSkipListSet<Held> held = new ConcurrentSkipListSet<>();
    private final AtomicLong sequence = new AtomicLong();
    private final Counter refused;

    public LoadShedding(SheddingConfig config, MeterRegistry registry) {
        this.config = config;
        this.targetNanos = config.answerTarget().toNanos();
        this.refused = Counter.builder("http.requests.shed")
                .description("Requests refused with 503 because the service was answering too slowly to take them")
                .register(registry);
        Gauge.builder("http.requests.held", held, ConcurrentSkipListSet::size)
                .description("Requests in hand that count for load shedding (not Prefer: wait, not /q/)")
                .register(registry);
    }

    /** A request in hand, ordered by when it arrived. */
    private record Held(long arrivedAt, long sequence) implements Comparable<Held> {
        @Override
        public int compareTo(Held other) {
            int byTime = Long.compare(arrivedAt, other.arrivedAt);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    void install(@Observes Router router) {
        if (!config.enabled()) {
            return;
        }
        // Right after BodySizeLimit: before authentication, parsing or any resource.
        router.route().order(Integer.MIN_VALUE + 1).handler(this::admit);
    }

    private void admit(RoutingContext context) {
        if (context.request().path().startsWith("/q/") || context.request().getHeader("Prefer") != null) {
            context.next();
            return;
        }
        long now = System.nanoTime();
        if (overloaded(now)) {
            refused.increment();
            refuse(context);
            return;
        }
        Held request = new Held(now, sequence.incrementAndGet());
        held.add(request);
        context.addEndHandler(ended -> held.remove(request));
        context.next();
    }

    /** Whether the {@code depth}-th oldest request in hand has waited longer than the target. */
    boolean overloaded(long now) {
        Iterator<Held> oldestFirst = held.iterator();
        for (int i = 1; oldestFirst.hasNext(); i++) {
            Held next = oldestFirst.next();
            if (now - next.arrivedAt() <= targetNanos) {
                return false;
            }
            if (i >= config.depth()) {
                return true;
            }
        }
        return false;
    }

    private void refuse(RoutingContext context) {
        JsonObject problem = new JsonObject()
                .put("type", "https://corebank.dev/problems/overloaded")
                .put("title", "Service overloaded")
                .put("status", 503)
                .put("detail", "the service holds " + config.depth() + " or more requests older than "
                        + config.answerTarget().toMillis() + " ms; retry after " + RETRY_AFTER_SECONDS
                        + " s with the same Idempotency-Key")
                .put("instance", context.request().path());
        context.response()
                .setStatusCode(503)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader("Retry-After", RETRY_AFTER_SECONDS)
                .end(problem.encode());
    }
}
