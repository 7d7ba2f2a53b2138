package dev.corebank.chaos;

import dev.corebank.chaos.Report.Result;
import dev.corebank.chaos.Request.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The chaos suite, run by {@code bin/chaos}: for each scenario, a fresh fixture (customers, merchants,
 * products), steady mixed load, the fault injected after {@code chaos.before} seconds and undone after the
 * scenario's outage, recovery probed from the fault's end, the load kept on for {@code chaos.after} seconds after
 * that, every accepted request followed to its final state, then the {@link Invariants}. Prints the table, writes
 * each scenario's requests as CSV and the HTML report, and exits 1 if any invariant failed in any scenario.
 *
 * <p>Settings are system properties: {@code chaos.scenarios} (comma-separated, default all), {@code chaos.warmup}
 * (at most this many seconds of load before the first scenario, until the services answer fast),
 * {@code chaos.outage.<scenario>} (seconds), {@code chaos.transfers.rate} and {@code chaos.orders.rate} (per
 * second), {@code chaos.before}, {@code chaos.after} (seconds), {@code chaos.customers}, {@code chaos.dir} (where
 * the report goes), {@code chaos.script} (bin/chaos), {@code chaos.chartjs} and {@code chaos.annotationjs} (the
 * libraries to inline).
 */
public final class ChaosSuite {

    /** How long after the fault's end the suite keeps probing for recovery before it calls it never. */
    private static final Duration RECOVERY_WAIT = Duration.ofSeconds(120);
    /** The load goes on at least this long after recovery, so the charts show the stack working again. */
    private static final Duration AFTER_RECOVERY = Duration.ofSeconds(10);
    private static final int WARMUP_ROUND = 20;
    private static final int WARM_P50_MILLIS = 100;
    /** After the settle limit, how much longer to keep reading unfinished requests, to tell late from lost. */
    private static final Duration LATE_GRACE = Duration.ofSeconds(60);

    private final Faults faults;
    private final Path dir;
    private final int transferRate = Integer.getInteger("chaos.transfers.rate", 80);
    private final int orderRate = Integer.getInteger("chaos.orders.rate", 20);
    private final int warmup = Integer.getInteger("chaos.warmup", 300);
    private final int before = Integer.getInteger("chaos.before", 20);
    private final int after = Integer.getInteger("chaos.after", 30);
    private final int customers = Integer.getInteger("chaos.customers", 200);

    private ChaosSuite(Faults faults, Path dir) {
        this.faults = faults;
        this.dir = dir;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(System.getProperty("chaos.dir", ".stack/chaos"));
        Files.createDirectories(dir);
        List<Scenario> scenarios = new ArrayList<>();
        for (String name : System.getProperty("chaos.scenarios", String.join(",", Scenario.ALL.stream().map(Scenario::name).toList())).split(",")) {
            Scenario scenario = Scenario.named(name.trim()).orElseThrow(() -> new IllegalArgumentException(
                    "no scenario " + name + "; there are " + Scenario.ALL.stream().map(Scenario::name).toList()));
            scenarios.add(scenario.withOutage(Integer.getInteger("chaos.outage." + scenario.name(), scenario.outageSeconds())));
        }
        Path script = Path.of(System.getProperty("chaos.script", "bin/chaos"));
        ChaosSuite suite = new ChaosSuite(new Faults(script, dir.resolve("faults.log")), dir);
        Instant started = Instant.now();
        suite.warmUp();
        List<Result> results = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            Result result = suite.run(scenario);
            results.add(result);
            Report.details(result, System.out);
            Report.csv(result.run(), dir.resolve(scenario.name() + "-requests.csv"));
            // Written after every scenario, so a suite stopped half-way still leaves what it saw.
            Report.html(results, dir.resolve("report.html"), Path.of(System.getProperty("chaos.chartjs")),
                    Path.of(System.getProperty("chaos.annotationjs")), Report.title(started));
        }
        System.out.println();
        Report.table(results, System.out);
        System.out.println();
        System.out.println("report: " + dir.resolve("report.html") + "  requests: " + dir + "/<scenario>-requests.csv"
                + "  fault commands' output: " + dir.resolve("faults.log"));
        boolean passed = results.stream().allMatch(Result::passed);
        System.exit(passed ? 0 : 1);
    }

    /**
     * The same load on a fixture of its own, judged by nobody, in rounds of {@value #WARMUP_ROUND} s until a round's
     * POSTs answer at p50 under {@value #WARM_P50_MILLIS} ms with no error, for {@code chaos.warmup} s at most. On two
     * cores, services fresh from {@code bin/stack up} answered in seconds for their first minutes (a 60 s warm-up
     * still ended at p50 6 s), which made the first scenario measure the JIT compilers rather than its fault.
     */
    private void warmUp() throws Exception {
        if (warmup <= 0) {
            return;
        }
        System.out.printf("%n==> warm-up: the same load, not judged, until a %d s round answers at p50 < %d ms (at most %d s)%n",
                WARMUP_ROUND, WARM_P50_MILLIS, warmup);
        if (!faults.stackUp()) {
            System.out.println("  the stack did not come up (see the fault log); the scenarios will say so");
            return;
        }
        Fixture fixture = Fixture.open("warmup", 50, 2, 5, 1_000_000, 100_000);
        try (Load load = new Load(fixture, transferRate, orderRate)) {
            long origin = System.nanoTime();
            load.start(origin);
            for (int round = 1; round * WARMUP_ROUND <= warmup; round++) {
                long from = origin + Run.nanos((long) (round - 1) * WARMUP_ROUND);
                long to = origin + Run.nanos((long) round * WARMUP_ROUND);
                sleepUntil(to + TimeUnit.SECONDS.toNanos(2));
                List<Request> offered = load.requests().stream()
                        .filter(request -> request.intendedAt >= from && request.intendedAt < to)
                        .toList();
                double[] latencies = offered.stream().filter(request -> request.answeredAt != 0)
                        .mapToDouble(request -> (request.answeredAt - request.intendedAt) / 1e6).sorted().toArray();
                long failed = offered.stream().filter(request -> request.answeredAt != 0 && !request.accepted()).count();
                double p50 = latencies.length == 0 ? Double.NaN : latencies[latencies.length / 2];
                System.out.printf(Locale.ROOT, "  round %d: %,d offered, %,d answered, %,d not accepted, POST p50 %.0f ms%n",
                        round, offered.size(), latencies.length, failed, p50);
                if (latencies.length == offered.size() && failed == 0 && p50 < WARM_P50_MILLIS) {
                    break;
                }
            }
            load.stop();
            awaitSettled(load, origin);
        }
    }

    private Result run(Scenario scenario) throws Exception {
        System.out.printf("%n==> %s: %s, %d s, under %d transfers/s + %d orders/s%n", scenario.name(), scenario.fault(),
                scenario.outageSeconds(), transferRate, orderRate);
        if (!faults.stackUp()) {
            return notRun(scenario, "the stack did not come up before the fault (bin/stack up failed; see the fault log)");
        }
        Fixture fixture;
        try {
            fixture = Fixture.open(scenario.name(), customers, 4, 20, 1_000_000, 100_000);
        } catch (Exception e) {
            return notRun(scenario, "could not open the fixture's accounts and products: " + e);
        }
        try (Load load = new Load(fixture, transferRate, orderRate)) {
            long origin = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
            Instant wallOrigin = Instant.now().plusMillis(100);
            load.start(origin);
            sleepUntil(origin + Run.nanos(before));

            long faultStart = System.nanoTime();
            say(origin, "fault begins");
            boolean injected = faults.begin(scenario);
            sleepUntil(faultStart + Run.nanos(scenario.outageSeconds()));
            long faultEnd = System.nanoTime();
            say(origin, "fault ends (restoring)");
            CompletableFuture<Boolean> undone = CompletableFuture.supplyAsync(() -> {
                try {
                    return faults.end(scenario);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            });

            String[] problem = {""};
            long recoveredAt = awaitRecovery(load, faultEnd, problem);
            say(origin, recoveredAt == 0 ? "not recovered: " + problem[0]
                    : String.format(Locale.ROOT, "recovered %.1f s after the fault's end", (recoveredAt - faultEnd) / 1e9));
            sleepUntil(Math.max(faultEnd + Run.nanos(after), (recoveredAt == 0 ? faultEnd : recoveredAt) + AFTER_RECOVERY.toNanos()));
            load.stop();
            say(origin, "load stopped; following accepted requests to their final state");
            boolean restored = undone.get(300, TimeUnit.SECONDS);
            awaitSettled(load, faultEnd);
            load.stopPolling();
            Run run = new Run(scenario, fixture, origin, wallOrigin, faultStart, faultEnd, recoveredAt, problem[0],
                    injected, restored, load.requests(), load.reads(), load.readSamples());
            say(origin, "checking the invariants");
            return new Result(run, Invariants.judge(run));
        }
    }

    /**
     * From the fault's end, every half second: all processes live and ready, then a probe transfer and a probe
     * order (each asking the service to wait for its outcome) until one of each succeeds. Returns when that was
     * (System.nanoTime), or 0 if not within {@link #RECOVERY_WAIT}; {@code problem[0]} says what was last wrong.
     */
    private static long awaitRecovery(Load load, long faultEnd, String[] problem) throws InterruptedException {
        CompletableFuture<Request> transfer = null;
        CompletableFuture<Request> order = null;
        boolean transferDone = false;
        boolean orderDone = false;
        while (System.nanoTime() < faultEnd + RECOVERY_WAIT.toNanos()) {
            List<String> problems = Health.problems();
            if (problems.isEmpty()) {
                if (!transferDone) {
                    if (transfer == null) {
                        transfer = load.probe(Kind.TRANSFER);
                    } else if (transfer.isDone()) {
                        transferDone = transfer.join().succeeded();
                        problem[0] = transferDone ? "" : "probe transfer: " + state(transfer.join());
                        transfer = null;
                    }
                }
                if (!orderDone) {
                    if (order == null) {
                        order = load.probe(Kind.ORDER);
                    } else if (order.isDone()) {
                        orderDone = order.join().succeeded();
                        problem[0] = orderDone ? problem[0] : "probe order: " + state(order.join());
                        order = null;
                    }
                }
                if (transferDone && orderDone) {
                    return System.nanoTime();
                }
                if (transfer != null || order != null) {
                    problem[0] = "probes in flight";
                }
            } else {
                problem[0] = String.join("; ", problems);
            }
            Thread.sleep(500);
        }
        return 0;
    }

    private static String state(Request probe) {
        return probe.outcome + (probe.status == 0 ? "" : " " + probe.status) + (probe.state == null ? "" : " " + probe.state)
                + (probe.detail.isEmpty() ? "" : " " + probe.detail);
    }

    /**
     * Waits until every POST is answered and every accepted request is final, or until the settle limit has
     * passed for the last of them plus {@link #LATE_GRACE} (what is final by then but past its limit is late).
     */
    private static void awaitSettled(Load load, long faultEnd) throws InterruptedException {
        long lastDeadline = System.nanoTime() + Load.ANSWER_TIMEOUT.toNanos() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < lastDeadline) {
            List<Request> requests = load.requests();
            long latestAnswer = 0;
            boolean settled = true;
            for (Request request : requests) {
                latestAnswer = Math.max(latestAnswer, request.answeredAt);
                settled &= request.answeredAt != 0 && (!request.accepted() || request.terminal());
            }
            if (settled) {
                return;
            }
            lastDeadline = Math.max(lastDeadline,
                    Math.max(latestAnswer, faultEnd) + Invariants.SETTLE_LIMIT.toNanos() + LATE_GRACE.toNanos());
            Thread.sleep(500);
        }
    }

    private Result notRun(Scenario scenario, String why) {
        System.out.println("  " + why);
        long now = System.nanoTime();
        Run run = new Run(scenario, null, now, Instant.now(), now, now, 0, why, false, false, List.of(), Map.of(), Map.of());
        return new Result(run, List.of(Check.of("scenario ran", false, why)));
    }

    private static void say(long origin, String what) {
        System.out.printf(Locale.ROOT, "  %s t+%5.1f s  %s%n", Instant.now().toString().substring(11, 19),
                (System.nanoTime() - origin) / 1e9, what);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }
}
