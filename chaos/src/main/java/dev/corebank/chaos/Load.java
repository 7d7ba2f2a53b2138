package dev.corebank.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corebank.chaos.Request.Kind;
import dev.corebank.chaos.Request.Outcome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Steady mixed load: {@code POST /transfers} and {@code POST /orders} on a fixed clock (open loop, as
 * bench's {@code OpenLoop}: a request leaves at its intended time whatever earlier ones are doing, so a stall
 * shows as latency and errors instead of slowing the clock), every request recorded as a {@link Request}. The
 * POSTs do not wait for the outcome; each accepted one is then read with its {@code GET} (after 1, 2, 4, 8, then
 * every 10 s, {@value #READS_PER_SECOND} GETs a second at most) until it is final, which is how a client learns it.
 *
 * <p>Every exchange has a deadline of {@link #ANSWER_TIMEOUT} from the moment it is sent, waiting for a connection
 * included: past it the request counts as a hang. The pools are large (512 connections a service) so that, at a
 * few hundred requests a second, it is the service that makes a request wait, not this client.
 */
final class Load implements AutoCloseable {

    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);
    private static final long LARGEST_TRANSFER = 5_000;
    private static final long LONGEST_POLL_MILLIS = 10_000;
    /** A probe is read this often until final: recovery is timed by it, and a doubling wait would add seconds. */
    private static final long PROBE_POLL_MILLIS = 250;
    /**
     * At most this many GETs a second. Polling every pending request every few seconds grew with the backlog: with
     * the broker down, 16,000 pending transfers were read at 550 GETs/s, more load than the POSTs themselves, on
     * the services trying to recover. When a request became final is taken from the databases, not from when a
     * GET saw it, so reading less often costs no precision.
     */
    private static final int READS_PER_SECOND = 150;

    private final Fixture fixture;
    private final int transferRate;
    private final int orderRate;
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(1));
    private final HttpClient http;
    private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
    private final Map<String, LongAdder> reads = new ConcurrentHashMap<>();
    private final Map<String, String> readSamples = new ConcurrentHashMap<>();
    private final AtomicLong keys = new AtomicLong();
    private final AtomicLong readSecond = new AtomicLong();
    private final AtomicLong readsThisSecond = new AtomicLong();
    private volatile boolean offering;
    private volatile boolean polling = true;
    private Thread clock;

    Load(Fixture fixture, int transferRate, int orderRate) {
        this.fixture = fixture;
        this.transferRate = transferRate;
        this.orderRate = orderRate;
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(2_000),
                new PoolOptions().setHttp1MaxSize(512));
    }

    /** Starts offering load, the first requests due at {@code origin} (System.nanoTime). */
    void start(long origin) {
        offering = true;
        clock = new Thread(() -> offer(origin), "chaos-load-clock");
        clock.start();
    }

    /** Stops offering; requests already sent go on (and are still read until final). */
    void stop() throws InterruptedException {
        offering = false;
        clock.join();
    }

    /** Stops reading unfinished requests' states. */
    void stopPolling() {
        polling = false;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The answers to this load's {@code GET}s by path and kind ("GET /orders 200", "GET /transfers hang", ...), counted. */
    Map<String, Long> reads() {
        Map<String, Long> counts = new TreeMap<>();
        reads.forEach((label, count) -> counts.put(label, count.sum()));
        return counts;
    }

    /** The first body of each kind of failed GET. */
    Map<String, String> readSamples() {
        return new TreeMap<>(readSamples);
    }

    /**
     * A transfer or an order sent now, outside the clock, asking the service to wait for the outcome; it is
     * recorded and followed like the rest, flagged as a probe. The future ends when it is final or refused.
     */
    CompletableFuture<Request> probe(Kind kind) {
        Request request = new Request(kind, true, nextKey(), kind == Kind.TRANSFER ? transferBody() : orderBody(),
                System.nanoTime());
        send(request, kind == Kind.TRANSFER ? 5 : 10);
        return request.ended;
    }

    @Override
    public void close() {
        polling = false;
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            System.err.println("the load's HTTP client did not close cleanly: " + e);
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // The clock

    private void offer(long origin) {
        long transferPeriod = TimeUnit.SECONDS.toNanos(1) / transferRate;
        long orderPeriod = TimeUnit.SECONDS.toNanos(1) / orderRate;
        long nextTransfer = origin;
        long nextOrder = origin + orderPeriod / 2;
        while (offering) {
            boolean transfer = nextTransfer <= nextOrder;
            long due = transfer ? nextTransfer : nextOrder;
            sleepUntil(due);
            if (!offering) {
                return;
            }
            if (transfer) {
                send(new Request(Kind.TRANSFER, false, nextKey(), transferBody(), due), 0);
                nextTransfer += transferPeriod;
            } else {
                send(new Request(Kind.ORDER, false, nextKey(), orderBody(), due), 0);
                nextOrder += orderPeriod;
            }
        }
    }

    private static void sleepUntil(long nanoTime) {
        for (long left = nanoTime - System.nanoTime(); left > 0; left = nanoTime - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    /** Unique to the fixture (whose tag names the run and the scenario), so no two loads of a run share a key. */
    private String nextKey() {
        return fixture.tag() + "-" + keys.incrementAndGet();
    }

    /** A uniformly random pair of different customers; small amounts, so nobody runs dry. */
    private String transferBody() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<UUID> customers = fixture.customers();
        int from = random.nextInt(customers.size());
        int to = (from + 1 + random.nextInt(customers.size() - 1)) % customers.size();
        return Http.write(Map.of("fromAccountId", customers.get(from), "toAccountId", customers.get(to),
                "amount", 1 + random.nextLong(LARGEST_TRANSFER), "currency", Fixture.CURRENCY, "description", "chaos"));
    }

    /** One or two units of a random product for a random customer. */
    private String orderBody() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<Fixture.Product> products = fixture.products();
        return Http.write(Map.of("customerAccountId", fixture.customers().get(random.nextInt(fixture.customers().size())),
                "items", List.of(Map.of("sku", products.get(random.nextInt(products.size())).sku(),
                        "quantity", 1 + random.nextInt(2)))));
    }

    // ---------------------------------------------------------------------------------------------------
    // The POST

    private void send(Request request, int waitSeconds) {
        requests.add(request);
        RequestOptions post = options(HttpMethod.POST, request.kind.path)
                .putHeader("Content-Type", "application/json")
                .putHeader("Idempotency-Key", request.key);
        if (waitSeconds > 0) {
            post.putHeader("Prefer", "wait=" + waitSeconds).setIdleTimeout(ANSWER_TIMEOUT.toMillis() + waitSeconds * 1000L);
        }
        request.sentAt = System.nanoTime();
        exchange(post, request.body).whenComplete((answer, failure) -> answered(request, answer, failure));
    }

    private void answered(Request request, Answer answer, Throwable failure) {
        request.answeredAt = System.nanoTime();
        if (failure != null) {
            request.outcome = noAnswer(failure);
            request.detail = describe(failure);
            request.ended.complete(request);
            return;
        }
        request.status = answer.status;
        request.problemJson = answer.contentType.startsWith("application/problem+json");
        if (answer.status >= 200 && answer.status < 300) {
            JsonNode body = json(answer.body);
            request.id = body.path("id").asText(null);
            if (request.id == null) {
                request.outcome = Outcome.CLIENT_ERROR;
                request.detail = "2xx without an id: " + sample(answer.body);
                request.ended.complete(request);
                return;
            }
            request.outcome = Outcome.ACCEPTED;
            read(request, body.path("status").asText(""));
            if (!request.terminal()) {
                poll(request, request.probe ? PROBE_POLL_MILLIS : 1_000);
            }
            return;
        }
        boolean refusal = answer.status == 503 || answer.status == 429;
        if (refusal) {
            request.outcome = answer.retryAfter ? Outcome.REFUSED : Outcome.REFUSED_WITHOUT_RETRY_AFTER;
        } else {
            request.outcome = answer.status >= 500 ? Outcome.SERVER_ERROR : Outcome.CLIENT_ERROR;
        }
        request.detail = sample(answer.body);
        request.ended.complete(request);
    }

    // ---------------------------------------------------------------------------------------------------
    // Following an accepted request to its final state

    private void poll(Request request, long afterMillis) {
        if (!polling) {
            return;
        }
        vertx.setTimer(afterMillis, timer -> read(request, afterMillis));
    }

    /** One GET of {@code request}, unless this second's reads are spent: then it waits its turn (a probe never does). */
    private void read(Request request, long afterMillis) {
        long second = System.nanoTime() / 1_000_000_000L;
        if (readSecond.get() != second) {
            readSecond.set(second);
            readsThisSecond.set(0);
        }
        if (!request.probe && readsThisSecond.incrementAndGet() > READS_PER_SECOND) {
            vertx.setTimer(1_000 + ThreadLocalRandom.current().nextInt(1_000), timer -> read(request, afterMillis));
            return;
        }
        exchange(options(HttpMethod.GET, request.kind.path + "/" + request.id), null)
                .whenComplete((answer, failure) -> {
                    String label = "GET " + request.kind.path + " " + readLabel(answer, failure);
                    reads.computeIfAbsent(label, ignored -> new LongAdder()).increment();
                    if (failure == null && answer.status == 200) {
                        read(request, json(answer.body).path("status").asText(""));
                    } else {
                        readSamples.putIfAbsent(label, failure != null ? describe(failure) : sample(answer.body));
                    }
                    if (!request.terminal()) {
                        poll(request, request.probe ? PROBE_POLL_MILLIS : Math.min(afterMillis * 2, LONGEST_POLL_MILLIS));
                    }
                });
    }

    private static void read(Request request, String state) {
        request.state = state;
        if (request.kind.terminal.contains(state) && request.finalAt == 0) {
            request.finalAt = System.nanoTime();
            request.ended.complete(request);
        }
    }

    private static String readLabel(Answer answer, Throwable failure) {
        if (failure != null) {
            return noAnswer(failure) == Outcome.HANG ? "hang" : "unreachable";
        }
        if (answer.status == 200) {
            return "200";
        }
        if ((answer.status == 503 || answer.status == 429) && answer.retryAfter) {
            return "refused (" + answer.status + " with Retry-After)";
        }
        return "HTTP " + answer.status;
    }

    // ---------------------------------------------------------------------------------------------------
    // HTTP

    /** What the driver keeps of an answer. */
    private record Answer(int status, String body, boolean retryAfter, String contentType) {
    }

    private RequestOptions options(HttpMethod method, String path) {
        int port = path.startsWith("/transfers") ? 8082 : 8083;
        return new RequestOptions()
                .setMethod(method)
                .setHost("127.0.0.1")
                .setPort(port)
                .setURI(path)
                .setConnectTimeout(ANSWER_TIMEOUT.toMillis())
                .setIdleTimeout(ANSWER_TIMEOUT.toMillis())
                .putHeader("Authorization", Http.AUTHORIZATION);
    }

    /**
     * One exchange, failed with a TimeoutException a second past its idle timeout whatever Vert.x does. The
     * response is read in the callback of {@code send} itself: chained after it instead, from the load's clock
     * thread, {@code body()} could be asked for after the response had ended, and that future never completes
     * (Vert.x's racy form; see OpenLoop.exchange).
     */
    private CompletableFuture<Answer> exchange(RequestOptions options, String body) {
        return http.request(options)
                .compose(sent -> (body == null ? sent.send() : sent.send(body)).compose(this::answer))
                .toCompletionStage()
                .toCompletableFuture()
                .orTimeout(options.getIdleTimeout() + 1_000, TimeUnit.MILLISECONDS);
    }

    private Future<Answer> answer(HttpClientResponse response) {
        return response.body().map((Buffer body) -> new Answer(response.statusCode(), body.toString(),
                response.getHeader("Retry-After") != null, String.valueOf(response.getHeader("Content-Type"))));
    }

    private static Outcome noAnswer(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof ConnectException) {
            return Outcome.UNREACHABLE;
        }
        String name = cause.getClass().getSimpleName() + " " + cause.getMessage();
        if (cause instanceof TimeoutException || name.toLowerCase().contains("timeout") || name.contains("timed out")) {
            return Outcome.HANG;
        }
        return Outcome.UNREACHABLE;
    }

    private static String describe(Throwable failure) {
        Throwable cause = unwrap(failure);
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    private static JsonNode json(String body) {
        try {
            return Http.JSON.readTree(body);
        } catch (IOException e) {
            return Http.JSON.missingNode();
        }
    }

    private static String sample(String body) {
        return body.length() <= 300 ? body : body.substring(0, 300) + "...";
    }
}
