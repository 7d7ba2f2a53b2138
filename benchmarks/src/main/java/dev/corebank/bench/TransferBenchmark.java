package dev.corebank.bench;

import dev.corebank.bench.TransferLoad.Result;
import dev.corebank.bench.TransferLoad.Step;
import dev.corebank.testing.LedgerClientProcess;
import dev.corebank.testing.LocalStack;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import static dev.corebank.bench.Figures.counts;
import static dev.corebank.bench.Figures.millis;
import static dev.corebank.bench.Figures.p99BySecond;

/**
 * Measures transfers end to end, as a client sees them: {@code POST /transfers} at fixed offered rates, open
 * loop (see {@link TransferLoad}), against the packaged services as real processes on fresh databases, fresh
 * topics and fresh consumer groups: account-service (the ledger), transfer-service, and one relay draining both
 * outboxes. A transfer goes transfer-service (row and command in its outbox) → relay → ledger command topic →
 * account-service (posting and reply in its outbox) → relay → ledger event topic → transfer-service (settles
 * the row, NOTIFY) → the request waiting with {@code Prefer: wait}.
 *
 * <p>After a warm-up that is not counted, one step per offered rate: by default 0.25, 0.5 and 1.0 times
 * pgbench TPC-B tps ({@code -Dpgbench.tps}), where the first is where the latency target applies, the second
 * where the throughput target does, and the third shows the ceiling; {@code -Drates=300,600,1200} and
 * {@code -Dseconds=30} override them; {@code -Dwarmup.rate} and {@code -Dwarmup.seconds=120} set the warm-up,
 * {@code -Dsettle.seconds=10} how long each step's rate is offered, uncounted, before the step is measured,
 * {@code -Daccounts=1000} the accounts, {@code -Dconnections=4096} the client's bound on requests in flight (each
 * waits for its outcome, so an offered rate needs rate x latency of them: 512 capped a run near 2,100/s).
 * Each step prints its completed transfers per second and the latency from a request's intended start to the
 * client seeing its transfer COMPLETED, then the service's own view of the same transfers from its database, then
 * the CPU time each process spent per completed transfer (see {@link CpuAccount}).
 *
 * <p>The warm-up is long because four JVMs and a broker share the machine's cores: their JIT compilers are still
 * busy minutes after start, and a short warm-up measures the compilers rather than the code (the warm-up's own
 * CPU line shows how much of each JVM's time went to them).
 *
 * <p>Prints figures, asserts nothing. Run through {@code bin/bench transfers}, which runs pgbench TPC-B in the
 * same run and hands its tps over for the steps and the summary.
 */
public final class TransferBenchmark {

    private static final String TRANSFER_OWNER = "transfer_svc";
    private static final String CURRENCY = "EUR";
    /** Large enough that no run's random debits bring an account near zero: nothing is refused for funds. */
    private static final long OPENING_DEPOSIT = 1_000_000_000L;
    /** Offered rates of the default steps, as fractions of pgbench TPC-B tps; the first is the latency target's. */
    private static final double[] STEPS_OF_PGBENCH = {0.25, 0.5, 1.0};
    private static final double LATENCY_STEP_OF_PGBENCH = 0.25;
    private static final double THROUGHPUT_TARGET_OF_PGBENCH = 0.5;
    private static final double P99_TARGET_MILLIS = 50;

    /** Token buckets that never run dry: the benchmark measures transfers, not the rate limiter (which still runs). */
    private static final Map<String, String> UNLIMITED = Map.of(
            "corebank.transfers.rate-limits.per-account.capacity", "1000000",
            "corebank.transfers.rate-limits.per-account.per-second", "1000000",
            "corebank.transfers.rate-limits.per-client.capacity", "1000000",
            "corebank.transfers.rate-limits.per-client.per-second", "1000000");

    // Transfers of one step are those created in its wall-clock span: created_at is the instant in the id the
    // service gave the transfer on acceptance, completed_at the ledger's posting.
    private static final String SERVICE_VIEW = """
            SELECT count(*) FILTER (WHERE status = 'COMPLETED') AS completed,
                   count(*) FILTER (WHERE status <> 'COMPLETED') AS other,
                   count(*) FILTER (WHERE send_count > 1) AS resent,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - created_at) * 1000)
                       FILTER (WHERE status = 'COMPLETED') AS p50_ms,
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - created_at) * 1000)
                       FILTER (WHERE status = 'COMPLETED') AS p99_ms
            FROM transfers WHERE created_at >= ? AND created_at < ?""";
    // Where one step's completed transfers spent their time, from timestamps the stages leave behind: the id's
    // instant (request arrived), the accept transaction's outbox row (its start), the ledger's posting, and the
    // settle transaction's outbox row (its start). A transfer re-sent by the sweeper counts from its first command.
    private static final String LEGS = """
            WITH legs AS (
                SELECT extract(epoch FROM c.accepted - t.created_at) * 1000 AS arrive_to_accept,
                       extract(epoch FROM t.completed_at - c.accepted) * 1000 AS accept_to_post,
                       extract(epoch FROM e.created_at - t.completed_at) * 1000 AS post_to_settle
                FROM transfers t
                JOIN (SELECT (payload ->> 'commandId')::uuid AS id, min(created_at) AS accepted
                      FROM outbox WHERE aggregate_type = 'Account' GROUP BY 1) c ON c.id = t.id
                JOIN outbox e ON e.aggregate_type = 'Transfer' AND e.aggregate_id = t.id::text
                WHERE t.created_at >= ? AND t.created_at < ? AND t.status = 'COMPLETED')
            SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY arrive_to_accept) AS arrive_p50,
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY arrive_to_accept) AS arrive_p99,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY accept_to_post) AS post_p50,
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY accept_to_post) AS post_p99,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY post_to_settle) AS settle_p50,
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY post_to_settle) AS settle_p99
            FROM legs""";
    private static final String STATUSES = "SELECT status, count(*) AS n FROM transfers GROUP BY status ORDER BY status";

    /** The service's own figures for one step's transfers, from its database; latencies in ms. */
    record ServiceView(long completed, long other, long resent, double p50, double p99, Legs legs) {
    }

    /** p50 and p99 in ms of three legs of a completed transfer's way (see {@link #LEGS}). */
    record Legs(double arriveP50, double arriveP99, double postP50, double postP99, double settleP50,
            double settleP99) {
    }

    /** What the run was asked to do. The warm-up offers half the first step's rate unless told otherwise. */
    record Settings(int accounts, int warmupRate, int warmupSeconds, int settleSeconds, List<Step> steps,
            int connections, Optional<Double> pgbenchTps) {
    }

    private final LocalStack stack;

    private TransferBenchmark(LocalStack stack) {
        this.stack = stack;
    }

    public static void main(String[] args) throws Exception {
        Optional<Double> pgbenchTps = Figures.pgbenchTps();
        List<Step> steps = steps(pgbenchTps, Integer.getInteger("seconds", 30));
        Settings settings = new Settings(Integer.getInteger("accounts", 1_000),
                Integer.getInteger("warmup.rate", Math.max(1, steps.get(0).rate() / 2)),
                Integer.getInteger("warmup.seconds", 120),
                Integer.getInteger("settle.seconds", 10),
                steps, Integer.getInteger("connections", 4_096), pgbenchTps);
        LocalStack stack = LocalStack.fromEnvironment()
                .orElseThrow(() -> new IllegalStateException("run through bin/bench, which sets the local stack"));
        new TransferBenchmark(stack).run(settings);
        System.exit(0);
    }

    /** {@code -Drates} if given, else the fractions of pgbench tps; labelled with their fraction of pgbench. */
    private static List<Step> steps(Optional<Double> pgbenchTps, int seconds) {
        String rates = System.getProperty("rates", "").trim();
        Stream<Integer> offered;
        if (!rates.isEmpty()) {
            offered = Arrays.stream(rates.split(",")).map(String::trim).map(Integer::valueOf);
        } else {
            double tps = pgbenchTps.orElseThrow(() -> new IllegalStateException(
                    "no -Dpgbench.tps to derive the offered rates from: run through bin/bench, or give -Drates=..."));
            offered = Arrays.stream(STEPS_OF_PGBENCH).mapToObj(fraction -> (int) Math.max(1, Math.round(fraction * tps)));
        }
        return offered
                .map(rate -> new Step(pgbenchTps.map(tps -> String.format("%.2f x pgbench", rate / tps)).orElse(""),
                        rate, seconds))
                .toList();
    }

    private void run(Settings settings) throws Exception {
        try (LedgerClientRig rig = LedgerClientRig.start(stack, LedgerClientProcess.Service.TRANSFERS, TRANSFER_OWNER,
                UNLIMITED)) {
            measureAll(rig, settings);
        }
    }

    private static void measureAll(LedgerClientRig rig, Settings settings) throws Exception {
        long openStart = System.nanoTime();
        List<UUID> accounts = FundedAccounts.open(rig.ledger, settings.accounts(), CURRENCY, OPENING_DEPOSIT);
        System.out.printf("%,d %s accounts opened and funded over HTTP in %.1f s; transfers between uniformly random"
                        + " pairs, Prefer: wait=30, at most %d requests in flight%n",
                settings.accounts(), CURRENCY, (System.nanoTime() - openStart) / 1e9, settings.connections());
        StageBatches batches = new StageBatches(List.of(
                new StageBatches.Stage("accepts", rig.service.url(), "group_commit_batch_size{batch=\"transfer-accepts\"}"),
                new StageBatches.Stage("relay transfers", rig.relay.url(), "relay_batch_size{source=\"transfers\"}"),
                new StageBatches.Stage("ledger", rig.ledger.url(), "ledger_batch_size"),
                new StageBatches.Stage("relay accounts", rig.relay.url(), "relay_batch_size{source=\"accounts\"}"),
                new StageBatches.Stage("settles", rig.service.url(), "transfers_settle_batch_size")));
        StepCost cost = new StepCost(rig.cpu(), batches, "completed transfer");
        try (TransferLoad load = new TransferLoad(rig.service.url(), accounts, CURRENCY, settings.connections())) {
            // The first scrape of each service's /q/metrics (and the client's first use of its HTTP client)
            // costs a burst of cold code under load: here it is paid in the warm-up, not in the first step.
            StepCost.Measured<Result> warmed = cost.measure(
                    () -> load.run(new Step("warm-up", settings.warmupRate(), settings.warmupSeconds())), Result::completed);
            System.out.println(uncounted(warmed.result()));
            warmed.print();
            List<Result> results = new ArrayList<>();
            for (Step step : settings.steps()) {
                settleIn(load, step, settings.settleSeconds());
                StepCost.Measured<Result> measured = cost.measure(() -> load.run(step), Result::completed);
                print(measured.result(), serviceView(rig.db, measured.result()));
                measured.print();
                results.add(measured.result());
            }
            System.out.println("check: transfers in transfer-service's database by status: " + statuses(rig.db));
            summary(results, settings.pgbenchTps());
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // The service's view

    private static ServiceView serviceView(Connection db, Result result) throws SQLException {
        try (PreparedStatement query = stepQuery(db, SERVICE_VIEW, result); ResultSet rs = query.executeQuery()) {
            rs.next();
            return new ServiceView(rs.getLong("completed"), rs.getLong("other"), rs.getLong("resent"),
                    millisOrNaN(rs, "p50_ms"), millisOrNaN(rs, "p99_ms"), legs(db, result));
        }
    }

    private static Legs legs(Connection db, Result result) throws SQLException {
        // Autovacuum has not caught up with a run's young tables: stale counts plan the joins as nested loops.
        try (Statement analyze = db.createStatement()) {
            analyze.execute("ANALYZE transfers, outbox");
        }
        try (PreparedStatement query = stepQuery(db, LEGS, result); ResultSet rs = query.executeQuery()) {
            rs.next();
            return new Legs(millisOrNaN(rs, "arrive_p50"), millisOrNaN(rs, "arrive_p99"), millisOrNaN(rs, "post_p50"),
                    millisOrNaN(rs, "post_p99"), millisOrNaN(rs, "settle_p50"), millisOrNaN(rs, "settle_p99"));
        }
    }

    /** {@code sql} with the step's wall-clock span bound to its two parameters. */
    private static PreparedStatement stepQuery(Connection db, String sql, Result result) throws SQLException {
        PreparedStatement query = db.prepareStatement(sql);
        query.setObject(1, OffsetDateTime.ofInstant(result.from(), ZoneOffset.UTC));
        query.setObject(2, OffsetDateTime.ofInstant(result.to(), ZoneOffset.UTC));
        return query;
    }

    /** NaN when there was nothing to take a percentile of. */
    private static double millisOrNaN(ResultSet rs, String column) throws SQLException {
        double millis = rs.getDouble(column);
        return rs.wasNull() ? Double.NaN : millis;
    }

    private static String statuses(Connection db) throws SQLException {
        List<String> counts = new ArrayList<>();
        try (PreparedStatement query = db.prepareStatement(STATUSES); ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                counts.add(String.format("%,d %s", rs.getLong("n"), rs.getString("status")));
            }
        }
        return counts.isEmpty() ? "none" : String.join(", ", counts);
    }

    // ---------------------------------------------------------------------------------------------------
    // ---------------------------------------------------------------------------------------------------
    // Printing

    private static void print(Result result, ServiceView service) {
        Step step = result.step();
        Histogram latency = result.latency();
        System.out.printf("%,d transfers/s offered%s for %d s: sent %,.0f/s (%,d over 10 ms late), completed %,.0f/s"
                        + " during the step, %s%n",
                step.rate(), step.label().isEmpty() ? "" : " (" + step.label() + ")", step.seconds(), result.sendRate(),
                result.late(), result.completedPerSecond(), result.drained()
                        ? String.format("backlog drained %.2f s after", result.drainSeconds())
                        : String.format("backlog NOT drained: %,d requests still open, %,d of them never sent",
                                result.unfinished(), result.dropped()));
        System.out.printf("    intended start -> COMPLETED seen: p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  p99.9 %.1f ms"
                        + "  max %.1f ms (%,d transfers)%n",
                millis(latency.getValueAtPercentile(50)), millis(latency.getValueAtPercentile(95)),
                millis(latency.getValueAtPercentile(99)), millis(latency.getValueAtPercentile(99.9)),
                millis(latency.getMaxValue()), latency.getTotalCount());
        System.out.println("    p99 by second offered (ms): " + p99BySecond(result.bySecond()));
        System.out.printf("    not COMPLETED: %s; errors: %s%n", counts(result.outcomes()), counts(result.errors()));
        System.out.printf("    service's view (created_at -> ledger's posting): %,d COMPLETED, %,d other, %,d re-sent"
                        + " by the sweeper; p50 %.1f ms  p99 %.1f ms%n",
                service.completed(), service.other(), service.resent(), service.p50(), service.p99());
        Legs legs = service.legs();
        System.out.printf("    legs (p50 / p99 ms): arrival -> accept transaction %.1f / %.1f;  accept transaction ->"
                        + " ledger's posting %.1f / %.1f;  posting -> settle transaction %.1f / %.1f%n",
                legs.arriveP50(), legs.arriveP99(), legs.postP50(), legs.postP99(), legs.settleP50(), legs.settleP99());
    }

    /**
     * Offers {@code step}'s rate for {@code seconds} before it is measured, so the step measures that rate and not
     * the change to it: when the offered rate jumps, the stages' batches take seconds to grow, and what piled up
     * meanwhile is served late. Printed, not counted.
     */
    private static void settleIn(TransferLoad load, Step step, int seconds) throws InterruptedException {
        if (seconds <= 0) {
            return;
        }
        Result settled = load.run(new Step("settle-in", step.rate(), seconds));
        System.out.println(uncounted(settled) + "; p99 by second (ms): " + p99BySecond(settled.bySecond()));
    }

    /** e.g. {@code warm-up: 400 transfers/s offered for 150 s, 400 completed/s, p99 12.3 ms (not counted)}. */
    private static String uncounted(Result result) {
        return String.format("%s: %,d transfers/s offered for %d s, %,.0f completed/s, p99 %.1f ms (not counted)",
                result.step().label(), result.step().rate(), result.step().seconds(), result.completedPerSecond(),
                millis(result.latency().getValueAtPercentile(99)));
    }

    private static void summary(List<Result> results, Optional<Double> pgbenchTps) {
        Result best = results.stream().max(Comparator.comparingDouble(Result::completedPerSecond)).orElseThrow();
        Result latencyStep = latencyStep(results, pgbenchTps);
        double p99 = millis(latencyStep.latency().getValueAtPercentile(99));
        String row = "  %-36s %16s   %-32s %s%n";
        System.out.println();
        System.out.println("summary (targets are reported, not asserted)");
        System.out.printf(row, "figure", "value", "target", "ratio");
        System.out.printf(row, "pgbench TPC-B", pgbenchTps.map(tps -> String.format("%,.0f tps", tps)).orElse("not run"),
                "", "");
        System.out.printf(row, String.format("completed transfers/s (at %,d/s)", best.step().rate()),
                String.format("%,.0f /s", best.completedPerSecond()),
                String.format(">= %.1f x pgbench TPC-B tps", THROUGHPUT_TARGET_OF_PGBENCH),
                pgbenchTps.map(tps -> String.format("%.2f", best.completedPerSecond() / tps)).orElse("n/a"));
        System.out.printf(row, String.format("p99 at %,d/s offered", latencyStep.step().rate()),
                String.format("%.1f ms", p99),
                String.format("<= %.0f ms at %.2f x pgbench", P99_TARGET_MILLIS, LATENCY_STEP_OF_PGBENCH),
                String.format("%.2f", p99 / P99_TARGET_MILLIS));
    }

    /** The step offered nearest the latency target's rate, or the first one when pgbench did not run. */
    private static Result latencyStep(List<Result> results, Optional<Double> pgbenchTps) {
        return pgbenchTps
                .flatMap(tps -> results.stream().min(Comparator.comparingDouble(
                        result -> Math.abs(result.step().rate() - LATENCY_STEP_OF_PGBENCH * tps))))
                .orElse(results.get(0));
    }

}
