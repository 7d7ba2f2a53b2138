package dev.corebank.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corebank.messages.ledger.LedgerCommand.TransferFunds;
import dev.corebank.outbox.CloudEvents;
import dev.corebank.platform.id.UuidV7;
import dev.corebank.testing.AccountServiceProcess;
import dev.corebank.testing.FreshDatabases;
import dev.corebank.testing.LocalStack;
import dev.corebank.testing.RunId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Measures how many TransferFunds commands per second account-service applies, with the packaged service
 * as a real process on a fresh database, fresh topics and fresh consumer groups, for two mixes:
 *
 * <ol>
 *   <li>uniform: random pairs among all accounts;</li>
 *   <li>hot account: half of all transfers credit one account, the other half are random pairs among the
 *       rest.</li>
 * </ol>
 *
 * <p>A mix's commands are produced as fast as one producer goes while the service consumes them. Applied/s
 * is the rate at which the service's {@code commands} table (one answer per command, written in the
 * transaction that applies it) grows, polled every 200 ms, from the first poll that sees an answer to the
 * first that sees them all. The mixes run one after the other, after a warm-up that is not counted.
 *
 * <p>Prints figures, asserts nothing. Run through {@code bin/bench ledger}, which runs pgbench TPC-B in the
 * same run and hands its tps over ({@code -Dpgbench.tps}) for the summary of ratios.
 */
public final class LedgerBenchmark {

    private static final String OWNER = "account_svc";
    private static final String CURRENCY = "EUR";
    /** Large enough that no run's random debits bring an account near zero: nothing is refused for funds. */
    private static final long OPENING_DEPOSIT = 1_000_000_000L;
    private static final int LARGEST_TRANSFER = 10_000;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final Duration STALLED_AFTER = Duration.ofSeconds(60);
    private static final Path LOG = Path.of(".stack", "logs", "bench-account-service.log");

    // Command ids are UUIDv7, so one phase's commands are one range of the primary key: each poll counts that
    // phase's answers, not the whole table, which grows by every phase before.
    private static final String APPLIED = """
            SELECT count(*) FROM commands WHERE id >= ? AND id < ? AND kind = 'TransferFunds'""";
    private static final String OUTCOMES = """
            SELECT reply_type, coalesce(reply->>'reason', '') AS reason, count(*) AS n
            FROM commands WHERE id >= ? AND id < ? AND kind = 'TransferFunds'
            GROUP BY 1, 2 ORDER BY 1, 2""";
    // Every answer of one transaction carries that transaction's start time (processed_at DEFAULT now()).
    private static final String TRANSACTIONS = """
            SELECT count(DISTINCT processed_at) FROM commands WHERE id >= ? AND id < ? AND kind = 'TransferFunds'""";
    private static final String BALANCE_SUM = "SELECT coalesce(sum(balance), 0) FROM accounts";

    enum Mix {
        UNIFORM("uniform"), HOT("hot account");

        final String label;

        Mix(String label) {
            this.label = label;
        }
    }

    /** A phase's commands and the primary-key range their ids fall in, [from, to). */
    record Workload(List<TransferFunds> commands, UUID from, UUID to) {
    }

    record Result(String label, int commands, double produceSeconds, long firstSeen, double applySeconds,
            Map<String, Long> outcomes, long transactions, long deadLettered) {

        /** Answers that arrived between the first poll that saw one and the poll that saw all, per second. */
        double perSecond() {
            return applySeconds > 0 ? (commands - firstSeen) / applySeconds : Double.NaN;
        }
    }

    private final LocalStack stack;
    private final ObjectMapper json = new ObjectMapper();
    private final AccountServiceProcess.Names names = AccountServiceProcess.Names.of(RunId.VALUE);
    private final SplittableRandom random = new SplittableRandom(Long.getLong("seed", 42));

    private LedgerBenchmark(LocalStack stack) {
        this.stack = stack;
    }

    public static void main(String[] args) throws Exception {
        int accounts = Integer.getInteger("accounts", 1_000);
        int commands = Integer.getInteger("commands", 100_000);
        int warmup = Integer.getInteger("warmup", 10_000);
        Optional<Double> pgbenchTps = Figures.pgbenchTps();
        LocalStack stack = LocalStack.fromEnvironment()
                .orElseThrow(() -> new IllegalStateException("run through bin/bench, which sets the local stack"));
        new LedgerBenchmark(stack).run(accounts, commands, warmup, pgbenchTps);
        System.exit(0);
    }

    private void run(int accountCount, int commandCount, int warmup, Optional<Double> pgbenchTps) throws Exception {
        try (FreshDatabases databases = new FreshDatabases(stack);
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
            String database = databases.create("ledgerbench", OWNER);
            createTopics(admin);
            try {
                measureAll(database, admin, accountCount, commandCount, warmup, pgbenchTps);
            } finally {
                deleteTopics(admin);
            }
        }
    }

    private void measureAll(String database, Admin admin, int accountCount, int commandCount, int warmup,
            Optional<Double> pgbenchTps) throws Exception {
        try (AccountServiceProcess service = AccountServiceProcess.start(stack, database, OWNER, names, LOG);
                KafkaProducer<String, String> producer = producer();
                Connection db = DriverManager.getConnection(stack.jdbcUrl(database), OWNER, "")) {
            System.out.printf("%s started on database %s, commands from %s (%d partitions), JVM %s%n",
                    service, database, names.commands(), partitions(admin), String.join(" ", AccountServiceProcess.JVM));
            long openStart = System.nanoTime();
            List<UUID> accounts = FundedAccounts.open(service, accountCount, CURRENCY, OPENING_DEPOSIT);
            System.out.printf("%,d %s accounts opened and funded over HTTP in %.1f s%n",
                    accountCount, CURRENCY, seconds(System.nanoTime() - openStart));

            Result warmed = measure("warm-up", warmUp(accounts, warmup), producer, db, admin);
            System.out.printf("warm-up: %,d commands, half of each mix, applied in %.1f s (not counted)%n",
                    warmed.commands(), warmed.applySeconds());

            List<Result> results = new ArrayList<>();
            for (Mix mix : Mix.values()) {
                Result result = measure(mix.label, transfers(mix, accounts, commandCount, mix.name().toLowerCase()),
                        producer, db, admin);
                print(result);
                results.add(result);
            }
            System.out.printf("check: sum of all balances (the bank's cash account included) = %,d (0 when no money"
                    + " was lost or made)%n", single(db, BALANCE_SUM));
            summary(results.get(0), results.get(1), pgbenchTps);
        }
        System.out.println(LogFindings.of("account-service", LOG));
    }

    // ---------------------------------------------------------------------------------------------------
    // Measuring

    private Result measure(String label, Workload workload, KafkaProducer<String, String> producer, Connection db, Admin admin)
            throws Exception {
        List<ProducerRecord<String, String>> records = new ArrayList<>(workload.commands().size());
        for (TransferFunds command : workload.commands()) {
            records.add(record(command));
        }
        long deadBefore = endOffsets(admin, names.deadLetters());
        CompletableFuture<Double> produced = CompletableFuture.supplyAsync(() -> produce(producer, records));

        int expected = records.size();
        long firstAt = 0;
        long firstSeen = 0;
        long lastAt;
        long seen = 0;
        long changedAt = System.nanoTime();
        long next = System.nanoTime();
        try (PreparedStatement applied = db.prepareStatement(APPLIED)) {
            applied.setObject(1, workload.from());
            applied.setObject(2, workload.to());
            while (true) {
                next += POLL_NANOS;
                TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
                long at = System.nanoTime();
                long count = count(applied);
                if (count > 0 && firstAt == 0) {
                    firstAt = at;
                    firstSeen = count;
                }
                if (count != seen) {
                    seen = count;
                    changedAt = at;
                }
                if (count >= expected) {
                    lastAt = at;
                    break;
                }
                if (produced.isCompletedExceptionally()) {
                    produced.join();
                }
                if (at - changedAt > STALLED_AFTER.toNanos()) {
                    throw new IllegalStateException(label + ": " + count + " of " + expected + " commands answered and no"
                            + " progress for " + STALLED_AFTER + "; " + (endOffsets(admin, names.deadLetters()) - deadBefore)
                            + " dead-lettered; see " + LOG);
                }
            }
        }
        return new Result(label, expected, produced.join(), firstSeen, seconds(lastAt - firstAt),
                outcomes(db, workload), single(db, TRANSACTIONS, workload.from(), workload.to()),
                endOffsets(admin, names.deadLetters()) - deadBefore);
    }

    /** Sends every record as fast as the producer takes them; returns the seconds until the broker had all. */
    private static double produce(KafkaProducer<String, String> producer, List<ProducerRecord<String, String>> records) {
        AtomicLong failed = new AtomicLong();
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        long start = System.nanoTime();
        for (ProducerRecord<String, String> record : records) {
            producer.send(record, (metadata, e) -> {
                if (e != null && failed.getAndIncrement() == 0) {
                    firstFailure.set(e);
                }
            });
        }
        producer.flush();
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " commands not produced", firstFailure.get());
        }
        return seconds(System.nanoTime() - start);
    }

    private static long count(PreparedStatement query) throws SQLException {
        try (ResultSet rs = query.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Map<String, Long> outcomes(Connection db, Workload workload) throws SQLException {
        Map<String, Long> outcomes = new LinkedHashMap<>();
        try (PreparedStatement query = db.prepareStatement(OUTCOMES)) {
            query.setObject(1, workload.from());
            query.setObject(2, workload.to());
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    String reason = rs.getString("reason");
                    outcomes.put(rs.getString("reply_type") + (reason.isEmpty() ? "" : " " + reason), rs.getLong("n"));
                }
            }
        }
        return outcomes;
    }

    private static long single(Connection db, String sql, Object... args) throws SQLException {
        try (PreparedStatement query = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                query.setObject(i + 1, args[i]);
            }
            return count(query);
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // The workload

    /**
     * Uniform: any two different accounts. Hot: every other transfer credits the first account, the rest are
     * pairs of the others; the hot account is never debited, as a merchant's collection account would not be.
     */
    private Workload transfers(Mix mix, List<UUID> accounts, int count, String reference) {
        long fromMillis = System.currentTimeMillis();
        List<TransferFunds> transfers = new ArrayList<>(count);
        UUID hot = accounts.get(0);
        int lowest = mix == Mix.HOT ? 1 : 0;
        for (int i = 0; i < count; i++) {
            int from = lowest + random.nextInt(accounts.size() - lowest);
            UUID to = mix == Mix.HOT && i % 2 == 0 ? hot : accounts.get(other(from, lowest, accounts.size()));
            transfers.add(new TransferFunds(UuidV7.next(), accounts.get(from), to, 1 + random.nextInt(LARGEST_TRANSFER),
                    CURRENCY, "bench " + reference + " " + i));
        }
        return new Workload(transfers, idAt(fromMillis), idAt(System.currentTimeMillis() + 1));
    }

    private Workload warmUp(List<UUID> accounts, int count) {
        Workload uniform = transfers(Mix.UNIFORM, accounts, count / 2, "warm-up");
        Workload hot = transfers(Mix.HOT, accounts, count - count / 2, "warm-up");
        List<TransferFunds> both = new ArrayList<>(uniform.commands());
        both.addAll(hot.commands());
        return new Workload(both, uniform.from(), hot.to());
    }

    /** An index among [lowest, size) other than {@code not}. */
    private int other(int not, int lowest, int size) {
        int pick = lowest + random.nextInt(size - lowest - 1);
        return pick >= not ? pick + 1 : pick;
    }

    /** The smallest UUIDv7 of millisecond {@code epochMillis}: a bound of the ids made from then on. */
    private static UUID idAt(long epochMillis) {
        return new UUID(epochMillis << 16, 0);
    }

    private ProducerRecord<String, String> record(TransferFunds command) {
        try {
            ProducerRecord<String, String> record = new ProducerRecord<>(names.commands(),
                    command.fromAccountId().toString(), json.writeValueAsString(command));
            record.headers().add(CloudEvents.ID, UuidV7.next().toString().getBytes(StandardCharsets.UTF_8));
            record.headers().add(CloudEvents.TYPE, "TransferFunds".getBytes(StandardCharsets.UTF_8));
            // As the relay would stamp it: the ledger takes TransferFunds from transfer-service only.
            record.headers().add(CloudEvents.SOURCE, CloudEvents.sourceOf("transfers").getBytes(StandardCharsets.UTF_8));
            return record;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + command, e);
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Kafka

    private KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, "5",
                ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024)),
                new StringSerializer(), new StringSerializer());
    }

    /** Created up front with the broker's defaults, so the service never waits for auto-creation. */
    private void createTopics(Admin admin) throws Exception {
        admin.createTopics(names.topics().stream()
                        .map(topic -> new NewTopic(topic, Optional.empty(), Optional.empty()))
                        .toList())
                .all().get(30, TimeUnit.SECONDS);
    }

    private void deleteTopics(Admin admin) throws Exception {
        admin.deleteTopics(names.topics()).all().get(30, TimeUnit.SECONDS);
    }

    private int partitions(Admin admin) throws Exception {
        return admin.describeTopics(List.of(names.commands())).allTopicNames().get(30, TimeUnit.SECONDS)
                .get(names.commands()).partitions().size();
    }

    /** Records ever written to {@code topic}: the sum of its partitions' end offsets. */
    private static long endOffsets(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = admin.describeTopics(List.of(topic)).allTopicNames()
                .get(30, TimeUnit.SECONDS).get(topic).partitions().stream()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
        return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
                .mapToLong(info -> info.offset())
                .sum();
    }

    // ---------------------------------------------------------------------------------------------------
    // Printing

    private static void print(Result result) {
        String outcomes = result.outcomes().entrySet().stream()
                .map(outcome -> String.format("%,d %s", outcome.getValue(), outcome.getKey()))
                .collect(Collectors.joining(", "));
        System.out.printf("%s: %,d TransferFunds applied at %,.0f commands/s (%,d answered in %.2f s after the first"
                        + " %,d); produced in %.2f s%n",
                result.label(), result.commands(), result.perSecond(), result.commands() - result.firstSeen(),
                result.applySeconds(), result.firstSeen(), result.produceSeconds());
        System.out.printf("    answers: %s; dead-lettered %,d; %,d transactions, %,.0f commands each on average%n",
                outcomes, result.deadLettered(), result.transactions(),
                (double) result.commands() / Math.max(1, result.transactions()));
    }

    private static void summary(Result uniform, Result hot, Optional<Double> pgbenchTps) {
        String row = "  %-24s %16s   %-28s %s%n";
        System.out.println();
        System.out.println("summary (targets are reported, not asserted)");
        System.out.printf(row, "figure", "value", "target", "ratio");
        System.out.printf(row, "pgbench TPC-B", pgbenchTps.map(tps -> String.format("%,.0f tps", tps)).orElse("not run"),
                "", "");
        System.out.printf(row, "uniform transfers", String.format("%,.0f /s", uniform.perSecond()),
                ">= 0.5 x pgbench TPC-B tps",
                pgbenchTps.map(tps -> String.format("%.2f", uniform.perSecond() / tps)).orElse("n/a"));
        System.out.printf(row, "hot-account transfers", String.format("%,.0f /s", hot.perSecond()),
                ">= 0.8 x uniform", String.format("%.2f", hot.perSecond() / uniform.perSecond()));
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
