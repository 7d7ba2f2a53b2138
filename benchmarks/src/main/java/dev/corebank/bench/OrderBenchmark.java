package dev.corebank.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corebank.bench.OrderLoad.Result;
import dev.corebank.bench.OrderLoad.Step;
import dev.corebank.testing.AccountServiceProcess;
import dev.corebank.testing.LedgerClientProcess;
import dev.corebank.testing.LocalStack;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;
import static dev.corebank.bench.Figures.counts;
import static dev.corebank.bench.Figures.millis;
import static dev.corebank.bench.Figures.p99BySecond;

/**
 * Measures orders end to end: {@code POST /orders} at fixed offered rates, open loop (see {@link OrderLoad}),
 * against the packaged services as real processes on fresh databases, fresh topics and fresh consumer groups:
 * account-service (the ledger), order-saga-service, and one relay draining both outboxes. An order's saga runs
 * order-saga-service (order row, stock reserved, PlaceHold in its outbox) → relay → ledger → relay →
 * order-saga-service (CaptureHold) → relay → ledger → relay → order-saga-service (CONFIRMED, OrderConfirmed in
 * its outbox) → relay → the order-events topic, where this client's consumer stops the clock.
 *
 * <p>Customers are {@code -Dcustomers=1000} funded accounts, every product belongs to one merchant account, and
 * each order is for one unit at {@value #PRICE} minor units, so neither funds nor stock ever run out. Steps, each
 * after a settle-in at its own rate ({@code -Dsettle.seconds=10}, printed, uncounted, not drained, so the step
 * starts on the queues its rate builds) and drained afterwards (at most {@code -Ddrain.seconds=30}; what is still
 * open then is given up on, printed, and still loads the next step):
 * <ol>
 *   <li>latency: {@code -Dlatency.rate=50} orders/s over {@code -Dproducts=500} products (where the p99 target
 *       applies);
 *   <li>throughput, spread: {@code -Drate} orders/s over the same products, by default
 *       {@value #THROUGHPUT_STEP_OF_PGBENCH} × pgbench TPC-B tps ({@code -Dpgbench.tps});
 *   <li>throughput, hot: the same rate, every order for one product.
 * </ol>
 * {@code -Dseconds=30} is each step's length; {@code -Dconnections=1024} the client's bound on requests in flight.
 *
 * <p>The warm-up before them runs in rounds of {@code -Dwarmup.seconds=30} at {@code -Dwarmup.rate} (an eighth of
 * {@code -Drate}, at least the latency rate) until the services' JIT compilers took at most
 * {@code -Dwarmup.jit.share=0.05} of their CPU in a round, or for {@code -Dwarmup.max.seconds=300} at most. Three
 * Quarkus services, a broker and this client share two cores: order-saga-service's C2 compiler alone was still
 * taking 0.4 of a core five minutes into a run at 50 orders/s, so a fixed short warm-up measured the compilers
 * rather than the code, and its p99 came from whatever the compiler queue held. With the defaults the whole run,
 * pgbench included, takes about ten minutes.
 *
 * <p>The primary latency is the client's: intended start → OrderConfirmed read by the benchmark's consumer. The
 * events' own {@code placedAt → confirmedAt} is printed beside it as a cross-check, and so are the legs of that
 * time from the saga log in the order database. The throughput of a step is every OrderConfirmed read during its
 * window for an order of the step's products (what the system confirms per second at that offered rate).
 *
 * <p>Prints figures, asserts nothing. Run through {@code bin/bench orders}, which runs pgbench TPC-B in the same
 * run and hands its tps over for the default rate and the summary.
 */
public final class OrderBenchmark {

    private static final String ORDER_OWNER = "order_svc";
    private static final String CURRENCY = "EUR";
    /** Large enough that no run's orders bring a customer near zero: nothing is refused for funds. */
    private static final long OPENING_DEPOSIT = 1_000_000_000L;
    /** Price of every product, in minor units; each order is one unit of one product. */
    private static final long PRICE = 100;
    /** Stock of each spread product and of the hot one: more than any run sells, so nothing is refused for stock. */
    private static final int SPREAD_STOCK = 10_000_000;
    private static final int HOT_STOCK = 1_000_000_000;
    private static final String HOT_SKU = "BENCH-HOT";
    private static final double THROUGHPUT_STEP_OF_PGBENCH = 0.5;
    private static final double THROUGHPUT_TARGET_OF_PGBENCH = 0.3;
    private static final double HOT_TARGET_OF_SPREAD = 0.8;
    private static final double P99_TARGET_MILLIS = 150;
    private static final ObjectMapper JSON = new ObjectMapper();

    // Where one step's confirmed orders spent their time inside the service, from its saga log: placed (stock
    // reserved, PlaceHold in the outbox) -> the ledger's HoldPlaced applied (relay, ledger, relay, saga's batch),
    // and from there -> HoldCaptured applied (the same way round for CaptureHold), which confirms the order.
    private static final String LEGS = """
            WITH log AS (
                SELECT created_at AS placed,
                       (jsonb_path_query_first(steps, '$[*] ? (@.name == "PLACE_HOLD" && @.status == "DONE").at')
                           #>> '{}')::timestamptz AS held,
                       (jsonb_path_query_first(steps, '$[*] ? (@.name == "CAPTURE_HOLD" && @.status == "DONE").at')
                           #>> '{}')::timestamptz AS captured
                FROM orders WHERE created_at >= ? AND created_at < ? AND status = 'CONFIRMED'),
            legs AS (
                SELECT extract(epoch FROM held - placed) * 1000 AS hold_ms,
                       extract(epoch FROM captured - held) * 1000 AS capture_ms
                FROM log)
            SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY hold_ms) AS hold_p50,
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY hold_ms) AS hold_p99,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY capture_ms) AS capture_p50,
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY capture_ms) AS capture_p99
            FROM legs""";
    private static final String UNMATCHED = """
            SELECT o.status, r.key, r.created_at::text AS claimed, o.created_at::text AS created,
                   o.updated_at::text AS changed
            FROM orders o LEFT JOIN order_requests r ON r.order_id = o.id
            WHERE o.id = ?""";
    private static final String STATUSES = "SELECT status, count(*) AS n FROM orders GROUP BY status ORDER BY status";
    private static final String SHELVES = "SELECT sum(stock) AS stock, sum(reserved) AS reserved FROM products";

    /** What the run was asked to do. */
    record Settings(int customers, int products, int latencyRate, int rate, int seconds, Warmup warmup,
            int settleSeconds, Duration drainLimit, int connections, Optional<Double> pgbenchTps) {
    }

    /** Rounds of {@code seconds} at {@code rate} until the JIT's share of the services' CPU is at most {@code jitShare}. */
    record Warmup(int rate, int seconds, int maxSeconds, double jitShare) {
    }

    private final LocalStack stack;

    private OrderBenchmark(LocalStack stack) {
        this.stack = stack;
    }

    public static void main(String[] args) throws Exception {
        Optional<Double> pgbenchTps = Figures.pgbenchTps();
        int rate = Optional.ofNullable(Integer.getInteger("rate"))
                .orElseGet(() -> (int) Math.max(1, Math.round(THROUGHPUT_STEP_OF_PGBENCH * pgbenchTps.orElseThrow(
                        () -> new IllegalStateException("no -Dpgbench.tps to derive the offered rate from: run through"
                                + " bin/bench, or give -Drate=...")))));
        int latencyRate = Integer.getInteger("latency.rate", 50);
        Settings settings = new Settings(Integer.getInteger("customers", 1_000), Integer.getInteger("products", 500),
                latencyRate, rate, Integer.getInteger("seconds", 30),
                new Warmup(Integer.getInteger("warmup.rate", Math.max(latencyRate, rate / 8)),
                        Integer.getInteger("warmup.seconds", 30), Integer.getInteger("warmup.max.seconds", 300),
                        Double.parseDouble(System.getProperty("warmup.jit.share", "0.05"))),
                Integer.getInteger("settle.seconds", 10),
                Duration.ofSeconds(Integer.getInteger("drain.seconds", 30)), Integer.getInteger("connections", 1_024),
                pgbenchTps);
        LocalStack stack = LocalStack.fromEnvironment()
                .orElseThrow(() -> new IllegalStateException("run through bin/bench, which sets the local stack"));
        long start = System.nanoTime();
        new OrderBenchmark(stack).run(settings);
        System.out.printf("benchmark driver ran %.0f s%n", (System.nanoTime() - start) / 1e9);
        System.exit(0);
    }

    private void run(Settings settings) throws Exception {
        try (LedgerClientRig rig = LedgerClientRig.start(stack, LedgerClientProcess.Service.ORDERS, ORDER_OWNER, Map.of())) {
            measureAll(rig, settings);
        }
    }

    private void measureAll(LedgerClientRig rig, Settings settings) throws Exception {
        long openStart = System.nanoTime();
        List<UUID> accounts = FundedAccounts.open(rig.ledger, settings.customers() + 1, CURRENCY, OPENING_DEPOSIT);
        long openSeconds = System.nanoTime() - openStart;
        UUID merchant = accounts.get(0);
        List<UUID> customers = accounts.subList(1, accounts.size());
        long merchantOpening = balance(rig.ledger, merchant);
        List<String> spread = IntStream.range(0, settings.products())
                .mapToObj(i -> String.format("BENCH-%05d", i))
                .toList();
        createProducts(rig.service, spread, SPREAD_STOCK, merchant);
        createProducts(rig.service, List.of(HOT_SKU), HOT_STOCK, merchant);
        long stockAtStart = shelves(rig.db)[0];
        System.out.printf("%,d %s customer accounts and one merchant account opened and funded over HTTP in %.1f s;"
                        + " %,d products (stock %,d each) and one hot product (stock %,d) created in %.1f s; every"
                        + " order is one unit at %d minor units for a uniformly random customer, no Prefer: wait, at"
                        + " most %d requests in flight%n",
                settings.customers(), CURRENCY, openSeconds / 1e9, settings.products(), SPREAD_STOCK, HOT_STOCK,
                (System.nanoTime() - openStart - openSeconds) / 1e9, PRICE, settings.connections());
        StepCost cost = new StepCost(rig.cpu(), new StageBatches(List.of(
                new StageBatches.Stage("accepts", rig.service.url(), "group_commit_batch_size{batch=\"order-accepts\"}"),
                new StageBatches.Stage("relay orders", rig.relay.url(), "relay_batch_size{source=\"orders\"}"),
                new StageBatches.Stage("ledger", rig.ledger.url(), "ledger_batch_size"),
                new StageBatches.Stage("relay accounts", rig.relay.url(), "relay_batch_size{source=\"accounts\"}"))),
                "confirmed order");
        List<Step> steps = List.of(
                new Step(label("latency, spread", settings.latencyRate(), settings), settings.latencyRate(),
                        settings.seconds(), spread),
                new Step(label("throughput, spread", settings.rate(), settings), settings.rate(), settings.seconds(),
                        spread),
                new Step(label("throughput, hot product", settings.rate(), settings), settings.rate(),
                        settings.seconds(), List.of(HOT_SKU)));
        try (OrderLoad load = new OrderLoad(rig.service.url(), customers, settings.connections(), stack.kafkaBootstrap(),
                rig.names.ownEvents())) {
            // The first scrape of each /q/metrics (and the client's first use of its HTTP client) runs cold
            // code under load: here it is paid in the warm-up, not in the first step.
            warmUp(load, cost, rig.processes(), spread, settings);
            List<Result> results = new ArrayList<>();
            for (Step step : steps) {
                settleIn(load, step, settings.settleSeconds());
                StepCost.Measured<Result> measured = cost.measure(() -> load.run(step, true, settings.drainLimit()),
                        Result::confirmed);
                print(measured.result(), legs(rig.db, measured.result()));
                measured.print();
                results.add(measured.result());
            }
            checks(rig.db, rig.ledger, merchant, merchantOpening, stockAtStart, load);
            answers(rig.service.url(), load);
            summary(results, settings);
        }
    }

    /** Warm-up rounds, each printed, until the compilers of {@code services} have (nearly) nothing left to do. */
    private static void warmUp(OrderLoad load, StepCost cost, List<String> services, List<String> spread,
            Settings settings) throws Exception {
        Warmup warmup = settings.warmup();
        int elapsed = 0;
        double jitShare;
        do {
            StepCost.Measured<Result> warmed = cost.measure(() -> load.run(new Step("warm-up", warmup.rate(),
                    warmup.seconds(), spread), true, settings.drainLimit()), Result::confirmed);
            elapsed += warmup.seconds();
            jitShare = warmed.jitShare(services);
            System.out.println(uncounted(warmed.result()));
            printStillOpen(warmed.result());
            warmed.print();
            System.out.printf("    the services' JIT compilers took %.1f %% of their CPU (go on above %.1f %%)%n",
                    100 * jitShare, 100 * warmup.jitShare());
        } while (jitShare > warmup.jitShare() && elapsed + warmup.seconds() <= warmup.maxSeconds());
        System.out.printf(jitShare > warmup.jitShare()
                        ? "warm-up stopped at its limit after %d s, the compilers still at %.1f %%: each step's CPU line"
                                + " says what its JIT took%n"
                        : "warmed up in %d s (compilers at %.1f %%)%n", elapsed, 100 * jitShare);
    }

    /** The legs of {@link #LEGS} for the orders placed during {@code result}'s span, or why there are none. */
    private static String legs(Connection db, Result result) {
        try (PreparedStatement query = db.prepareStatement(LEGS)) {
            query.setObject(1, OffsetDateTime.ofInstant(result.from(), ZoneOffset.UTC));
            query.setObject(2, OffsetDateTime.ofInstant(result.to(), ZoneOffset.UTC));
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return String.format("placed -> HoldPlaced applied %.1f / %.1f;  HoldPlaced -> HoldCaptured applied"
                                + " (CONFIRMED) %.1f / %.1f", rs.getDouble("hold_p50"), rs.getDouble("hold_p99"),
                        rs.getDouble("capture_p50"), rs.getDouble("capture_p99"));
            }
        } catch (SQLException e) {
            return "unavailable (" + e.getMessage() + ")";
        }
    }

    private static String label(String what, int rate, Settings settings) {
        return what + settings.pgbenchTps().map(tps -> String.format(", %.2f x pgbench", rate / tps)).orElse("");
    }

    /**
     * Offers {@code step}'s rate for {@code seconds} before it is measured, without draining, so the step measures
     * that rate and not the change to it. Printed, not counted.
     */
    private static void settleIn(OrderLoad load, Step step, int seconds) throws InterruptedException {
        if (seconds <= 0) {
            return;
        }
        Result settled = load.run(new Step("settle-in", step.rate(), seconds, step.skus()), false, Duration.ZERO);
        System.out.printf("settle-in: %,d orders/s offered for %d s, sent %,.0f/s, OrderConfirmed read %,.0f/s for its"
                        + " products (not counted)%n",
                step.rate(), seconds, settled.sendRate(), settled.productsConfirmedPerSecond());
    }

    // ---------------------------------------------------------------------------------------------------
    // Setting up, through the APIs

    /** Creates one product per sku, eight at a time, each priced {@link #PRICE} and owned by {@code merchant}. */
    private static void createProducts(LedgerClientProcess service, List<String> skus, int stock, UUID merchant)
            throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> created = new ArrayList<>();
            for (String sku : skus) {
                created.add(clients.submit(() -> {
                    Map<String, Object> product = new LinkedHashMap<>();
                    product.put("sku", sku);
                    product.put("name", "bench product " + sku);
                    product.put("price", PRICE);
                    product.put("currency", CURRENCY);
                    product.put("stock", stock);
                    product.put("merchantAccountId", merchant);
                    HttpResponse<String> response = service.post("/products", JSON.writeValueAsString(product), Map.of());
                    if (response.statusCode() != 201) {
                        throw new IllegalStateException("creating product " + sku + " answered " + response.statusCode()
                                + ": " + response.body());
                    }
                    return null;
                }));
            }
            for (Future<?> product : created) {
                product.get();
            }
        } finally {
            clients.shutdownNow();
        }
    }

    private static long balance(AccountServiceProcess ledger, UUID account) throws Exception {
        HttpResponse<String> response = ledger.get("/accounts/" + account);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /accounts/" + account + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return JSON.readTree(response.body()).path("balance").asLong();
    }

    // ---------------------------------------------------------------------------------------------------
    // Checks after the steps: figures to compare, not assertions

    /**
     * What the services' own records say after the last step: orders by status, units that left the shelves
     * against confirmed orders (one unit each), what the merchant received against confirmed orders × price, and
     * whether the consumer read any order's event twice or an event for an order it never placed.
     */
    private static void checks(Connection db, AccountServiceProcess ledger, UUID merchant, long merchantOpening,
            long stockAtStart, OrderLoad load) throws Exception {
        Map<String, Long> statuses = statuses(db);
        long confirmed = statuses.getOrDefault("CONFIRMED", 0L);
        long[] shelves = shelves(db);
        // The ledger's read model follows its postings through a topic: give it a moment to catch up.
        Thread.sleep(2_000);
        long received = balance(ledger, merchant) - merchantOpening;
        System.out.println("check: orders in order-saga-service's database by status: " + (statuses.isEmpty() ? "none"
                : statuses.entrySet().stream()
                        .map(status -> String.format("%,d %s", status.getValue(), status.getKey()))
                        .collect(Collectors.joining(", "))));
        System.out.printf("check: units taken from stock %,d and still reserved %,d, against %,d CONFIRMED orders of one"
                        + " unit each%n", stockAtStart - shelves[0], shelves[1], confirmed);
        System.out.printf("check: merchant account received %,d minor units, against %,d CONFIRMED orders x %d = %,d%n",
                received, confirmed, PRICE, confirmed * PRICE);
        System.out.printf("check: order events read twice for one order %,d; events read for orders the client had"
                + " given up on at a drain limit, or never learned the id of, %,d%n", load.duplicates(), load.unmatched());
        for (UUID id : load.unmatchedIds(3)) {
            System.out.println("      " + unmatched(db, id));
        }
    }

    /**
     * The POSTs the service finished answering (its {@code http_server_requests} count) against those this client
     * received an answer to: more there than here means answers written but never received.
     */
    private static void answers(String serviceUrl, OrderLoad load) {
        double answered = StageBatches.scrape(serviceUrl).entrySet().stream()
                .filter(series -> series.getKey().startsWith("http_server_requests_seconds_count{")
                        && series.getKey().contains("method=\"POST\"") && series.getKey().contains("uri=\"/orders\""))
                .mapToDouble(Map.Entry::getValue)
                .sum();
        System.out.printf("check: POST /orders answered %,.0f times by the service's count, %,d answers received by this"
                + " client (%,d failed without one)%n", answered, load.postsAnswered(), load.postsFailed());
    }

    /** An order whose event the client read without knowing it (or after giving up on it): when it was asked for and made. */
    private static String unmatched(Connection db, UUID id) throws SQLException {
        try (PreparedStatement query = db.prepareStatement(UNMATCHED)) {
            query.setObject(1, id);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next()
                        ? String.format("order %s %s: key %s claimed %s, order created %s, last changed %s", id,
                                rs.getString("status"), rs.getString("key"), rs.getString("claimed"),
                                rs.getString("created"), rs.getString("changed"))
                        : "order " + id + ": not in the database";
            }
        }
    }

    private static Map<String, Long> statuses(Connection db) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (PreparedStatement query = db.prepareStatement(STATUSES); ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                counts.put(rs.getString("status"), rs.getLong("n"));
            }
        }
        return counts;
    }

    /** Units on the shelves and units reserved, over all products. */
    private static long[] shelves(Connection db) throws SQLException {
        try (PreparedStatement query = db.prepareStatement(SHELVES); ResultSet rs = query.executeQuery()) {
            rs.next();
            return new long[] {rs.getLong("stock"), rs.getLong("reserved")};
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Printing

    private static void print(Result result, String legs) {
        Step step = result.step();
        Histogram latency = result.latency();
        System.out.printf("%,d orders/s offered (%s) for %d s: sent %,.0f/s (%,d over 10 ms late); OrderConfirmed read"
                        + " during the step %,.0f/s for its products (%,.0f/s in all, %,.0f/s of the step's own orders),"
                        + " %s%n",
                step.rate(), step.label(), step.seconds(), result.sendRate(), result.late(),
                result.productsConfirmedPerSecond(), result.allConfirmedPerSecond(), result.confirmedPerSecond(),
                result.drained()
                        ? String.format("backlog drained %.2f s after", result.drainSeconds())
                        : String.format("backlog NOT drained: %,d orders still open, %,d of them never sent, %,d"
                                + " sent and not answered", result.unfinished(), result.dropped(), unanswered(result)));
        System.out.printf("    intended start -> OrderConfirmed read: p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  p99.9 %.1f ms"
                        + "  max %.1f ms (%,d orders)%n",
                millis(latency.getValueAtPercentile(50)), millis(latency.getValueAtPercentile(95)),
                millis(latency.getValueAtPercentile(99)), millis(latency.getValueAtPercentile(99.9)),
                millis(latency.getMaxValue()), latency.getTotalCount());
        System.out.println("    p99 by second offered (ms): " + p99BySecond(result.bySecond()));
        System.out.printf("    intended start -> POST answered: p50 %.1f ms  p99 %.1f ms (%,d accepted);  cross-check,"
                        + " the events' placedAt -> confirmedAt: p50 %.1f ms  p99 %.1f ms%n",
                millis(result.accept().getValueAtPercentile(50)), millis(result.accept().getValueAtPercentile(99)),
                result.accept().getTotalCount(), millis(result.serviceLatency().getValueAtPercentile(50)),
                millis(result.serviceLatency().getValueAtPercentile(99)));
        System.out.printf("    legs (p50 / p99 ms): %s;  confirmedAt -> OrderConfirmed read by this client (relay, broker)"
                        + " %.1f / %.1f%n", legs, millis(result.lastHop().getValueAtPercentile(50)),
                millis(result.lastHop().getValueAtPercentile(99)));
        System.out.printf("    not confirmed: %s; errors: %s%n", counts(result.outcomes()), counts(result.errors()));
        result.errorSamples().forEach((error, body) -> System.out.printf("    first %s: %s%n", error, body));
        printStillOpen(result);
    }

    /** Orders given up on at the drain limit whose POST had been sent but not answered: the client has no id for them. */
    private static long unanswered(Result result) {
        return result.unfinished() - result.dropped() - result.stillOpen().answered();
    }

    /** The orders given up on at the drain limit, by the status the service gives them, and a few in full. */
    private static void printStillOpen(Result result) {
        if (result.stillOpen().isEmpty()) {
            return;
        }
        System.out.printf("    orders still open at the drain limit, GET /orders/{id} of up to 200: %s%n",
                counts(result.stillOpen().statuses()));
        result.stillOpen().samples().forEach(sample -> System.out.println("      " + sample));
    }

    /** e.g. {@code warm-up: 400 orders/s offered for 45 s, OrderConfirmed read 400/s, p99 12.3 ms; ... (not counted)}. */
    private static String uncounted(Result result) {
        return String.format("%s: %,d orders/s offered for %d s, OrderConfirmed read %,.0f/s, p99 %.1f ms; not confirmed:"
                        + " %s; errors: %s; %s (not counted)",
                result.step().label(), result.step().rate(), result.step().seconds(), result.allConfirmedPerSecond(),
                millis(result.latency().getValueAtPercentile(99)), counts(result.outcomes()), counts(result.errors()),
                result.drained()
                        ? String.format("drained %.2f s after", result.drainSeconds())
                        : String.format("%,d orders given up on at the drain limit (%,d never sent, %,d sent and not"
                                + " answered)", result.unfinished(), result.dropped(),
                                unanswered(result)));
    }

    private static void summary(List<Result> results, Settings settings) {
        Optional<Double> pgbenchTps = settings.pgbenchTps();
        Result latencyStep = results.get(0);
        Result spread = results.get(1);
        Result hot = results.get(2);
        System.out.println();
        System.out.println("summary (targets are reported, not asserted)");
        String steps = "  %-58s %12s %10s %10s %10s%n";
        System.out.printf(steps, "step", "confirmed/s", "p50 ms", "p95 ms", "p99 ms");
        for (Result result : results) {
            Histogram latency = result.latency();
            System.out.printf(steps, String.format("%,d/s offered, %s", result.step().rate(), result.step().label()),
                    String.format("%,.0f", result.productsConfirmedPerSecond()),
                    String.format("%.1f", millis(latency.getValueAtPercentile(50))),
                    String.format("%.1f", millis(latency.getValueAtPercentile(95))),
                    String.format("%.1f", millis(latency.getValueAtPercentile(99))));
        }
        System.out.println();
        String row = "  %-46s %12s   %-30s %s%n";
        System.out.printf(row, "figure", "value", "target", "ratio");
        System.out.printf(row, "pgbench TPC-B", pgbenchTps.map(tps -> String.format("%,.0f tps", tps)).orElse("not run"),
                "", "");
        System.out.printf(row, String.format("confirmed orders/s, spread (at %,d/s)", spread.step().rate()),
                String.format("%,.0f /s", spread.productsConfirmedPerSecond()),
                String.format(">= %.1f x pgbench TPC-B tps", THROUGHPUT_TARGET_OF_PGBENCH),
                pgbenchTps.map(tps -> String.format("%.2f x pgbench", spread.productsConfirmedPerSecond() / tps)).orElse("n/a"));
        System.out.printf(row, String.format("confirmed orders/s, hot product (at %,d/s)", hot.step().rate()),
                String.format("%,.0f /s", hot.productsConfirmedPerSecond()),
                String.format(">= %.1f x spread", HOT_TARGET_OF_SPREAD),
                String.format("%.2f x spread", hot.productsConfirmedPerSecond() / spread.productsConfirmedPerSecond()));
        double p99 = millis(latencyStep.latency().getValueAtPercentile(99));
        System.out.printf(row, String.format("p99 at %,d/s offered, spread", latencyStep.step().rate()),
                String.format("%.1f ms", p99), String.format("<= %.0f ms at 50/s", P99_TARGET_MILLIS),
                String.format("%.2f x target", p99 / P99_TARGET_MILLIS));
    }

}
