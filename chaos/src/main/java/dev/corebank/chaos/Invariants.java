package dev.corebank.chaos;

import dev.corebank.chaos.Books.Account;
import dev.corebank.chaos.Books.LedgerMovement;
import dev.corebank.chaos.Http.Answer;
import dev.corebank.chaos.ReadModels.Copy;
import dev.corebank.chaos.Request.Kind;
import dev.corebank.chaos.Request.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The invariants checked after each scenario, each a {@link Check} that fails when what it names did not hold.
 * The client's record (every request), the services' HTTP endpoints, the three databases and Redis are compared
 * with each other and with what the fixture was funded with; nothing here is taken from the service under test
 * alone when a second source can say it too.
 */
final class Invariants {

    /** How long after a fault ends the stack has to be live, ready and completing new requests again. */
    static final Duration RECOVERY_LIMIT = Duration.ofSeconds(30);
    /** How long an accepted request has, from its acceptance or the fault's end (the later), to become final. */
    static final Duration SETTLE_LIMIT = Duration.ofSeconds(30);
    /** How long the read models have to catch up with PostgreSQL once the load has stopped and settled. */
    private static final Duration CONVERGE_LIMIT = Duration.ofSeconds(30);
    /** An unfinished order's Redis copy lives this long (OrderReadModel.OPEN_TTL); a write lost meanwhile is a miss. */
    private static final Duration ORDER_COPY_TTL = Duration.ofSeconds(5);
    private static final int SHOWN = 5;

    private final Run run;

    private Invariants(Run run) {
        this.run = run;
    }

    /** Every check of {@code run}; reads the books and the read models itself. */
    static List<Check> judge(Run run) {
        Invariants judge = new Invariants(run);
        List<Check> checks = new ArrayList<>();
        checks.add(Check.of("fault injected and undone", run.faultInjected() && run.faultUndone(),
                "begin " + (run.faultInjected() ? "ok" : "FAILED") + ", end " + (run.faultUndone() ? "ok" : "FAILED")
                        + " (commands' output: fault log)"));
        checks.add(judge.recovered());
        checks.add(judge.liveAndReady());
        checks.add(judge.answers());
        checks.add(judge.reads());
        checks.add(judge.refusalsAreProblems());
        Books books;
        try {
            books = Books.read(run.fixture());
        } catch (Exception e) {
            checks.add(Check.of("books readable", false, "cannot read the databases: " + e));
            return checks;
        }
        checks.add(judge.allFinal(books));
        checks.add(judge.trialBalance());
        checks.add(judge.moneyConserved(books));
        checks.add(judge.journalMatchesBalances(books));
        checks.add(judge.transfersOnce(books));
        checks.add(judge.ordersPaidOnce(books));
        checks.add(judge.balancesReconcile(books));
        checks.add(judge.stockAndMerchantMoney(books));
        try (ReadModels redis = new ReadModels()) {
            checks.add(judge.accountReadModel(redis));
            checks.add(judge.orderReadModel(redis, books));
        }
        return checks;
    }

    // ---------------------------------------------------------------------------------------------------
    // The stack and its answers

    private Check recovered() {
        double seconds = run.recoverySeconds();
        boolean ok = !Double.isNaN(seconds) && seconds <= RECOVERY_LIMIT.toSeconds();
        String detail = Double.isNaN(seconds)
                ? "not recovered within the wait: " + run.recoveryProblem()
                : String.format("live, ready, a new transfer COMPLETED and a new order CONFIRMED %.1f s after the fault ended", seconds);
        return Check.of("recovered within " + RECOVERY_LIMIT.toSeconds() + " s", ok, detail);
    }

    private Check liveAndReady() {
        List<String> problems = Health.problems();
        return Check.of("every process live and ready", problems.isEmpty(),
                problems.isEmpty() ? "4 services live and ready, Kafka listening" : String.join("; ", problems));
    }

    /** The POSTs: refused with Retry-After is fine, a 5xx, a hang or a refusal without Retry-After is not. */
    private Check answers() {
        Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
        Map<Outcome, String> samples = new EnumMap<>(Outcome.class);
        long unreachableElsewhere = 0;
        for (Request request : run.requests()) {
            counts.merge(request.outcome, 1L, Long::sum);
            samples.putIfAbsent(request.outcome, request.kind + " " + (request.status == 0 ? "" : request.status + " ") + request.detail);
            if (request.outcome == Outcome.UNREACHABLE && !Objects.equals(port(request.kind), run.scenario().killedPort())) {
                unreachableElsewhere++;
            }
        }
        List<Outcome> bad = List.of(Outcome.SERVER_ERROR, Outcome.HANG, Outcome.REFUSED_WITHOUT_RETRY_AFTER, Outcome.CLIENT_ERROR, Outcome.WAITING);
        boolean ok = unreachableElsewhere == 0 && bad.stream().allMatch(outcome -> counts.getOrDefault(outcome, 0L) == 0);
        StringBuilder detail = new StringBuilder(counts.entrySet().stream()
                .map(entry -> entry.getKey().name().toLowerCase() + " " + entry.getValue())
                .collect(Collectors.joining(", ")));
        if (unreachableElsewhere > 0) {
            detail.append("; ").append(unreachableElsewhere).append(" unreachable on a service this scenario did not kill");
        }
        for (Outcome outcome : bad) {
            if (counts.getOrDefault(outcome, 0L) > 0) {
                detail.append("; first ").append(outcome.name().toLowerCase()).append(": ").append(samples.get(outcome));
            }
        }
        return Check.of("POST answers: no 5xx, hang or refusal without Retry-After", ok, detail.toString());
    }

    /** The GETs that followed accepted requests: the same rule, a read must never 5xx or hang either. */
    private Check reads() {
        List<String> bad = new ArrayList<>();
        run.reads().forEach((label, count) -> {
            boolean fine = label.endsWith(" 200") || label.contains(" refused (")
                    || (label.endsWith(" unreachable") && Objects.equals(port(label.contains("/transfers") ? Kind.TRANSFER : Kind.ORDER),
                            run.scenario().killedPort()));
            if (!fine) {
                bad.add(label + " x" + count + " (first: " + run.readSamples().getOrDefault(label, "") + ")");
            }
        });
        String all = run.reads().entrySet().stream().map(entry -> entry.getKey() + " " + entry.getValue())
                .collect(Collectors.joining(", "));
        return Check.of("GET answers: no 5xx, 4xx or hang", bad.isEmpty(), bad.isEmpty() ? all : String.join("; ", bad));
    }

    private Check refusalsAreProblems() {
        long refused = run.count(Outcome.REFUSED);
        long plain = run.requests().stream().filter(r -> r.outcome == Outcome.REFUSED && !r.problemJson).count();
        return Check.of("refusals are problem+json", plain == 0, refused + " refused, " + plain + " of them not application/problem+json");
    }

    /**
     * Every accepted request seen final by its GET, and final in its database within {@link #SETTLE_LIMIT} of its
     * acceptance or of the fault's end, whichever is later. The time comes from the database (a transfer's
     * {@code completed_at}, a finished order's {@code updated_at}), not from the GET that saw it, which reads
     * pending requests only every few seconds.
     */
    private Check allFinal(Books books) {
        Map<String, Instant> finalAt = new HashMap<>();
        books.transfers().forEach(transfer -> {
            if (transfer.completedAt() != null) {
                finalAt.put(transfer.id().toString(), transfer.completedAt());
            }
        });
        books.orders().forEach(order -> {
            if (Kind.ORDER.terminal.contains(order.status())) {
                finalAt.put(order.id().toString(), order.updatedAt());
            }
        });
        long accepted = 0;
        List<String> never = new ArrayList<>();
        List<String> late = new ArrayList<>();
        long neverCount = 0;
        long lateCount = 0;
        double slowest = 0;
        for (Request request : run.requests()) {
            if (!request.accepted()) {
                continue;
            }
            accepted++;
            Instant done = finalAt.get(request.id);
            if (!request.terminal() || done == null) {
                neverCount++;
                if (never.size() < SHOWN) {
                    never.add(request.kind + " " + request.id + " read " + request.state + (done == null ? ", not final in its database" : ""));
                }
                continue;
            }
            Instant from = run.wall(Math.max(request.answeredAt, run.faultEnd()));
            double took = Duration.between(from, done).toMillis() / 1e3;
            slowest = Math.max(slowest, took);
            if (took > SETTLE_LIMIT.toSeconds()) {
                lateCount++;
                if (late.size() < SHOWN) {
                    late.add(String.format("%s %s %s after %.1f s", request.kind, request.id, request.state, took));
                }
            }
        }
        String detail = String.format("%,d accepted; %,d never final %s; %,d final late %s; slowest %.1f s after acceptance or the fault's end",
                accepted, neverCount, never, lateCount, late, slowest);
        return Check.of("every accepted request final within " + SETTLE_LIMIT.toSeconds() + " s", neverCount == 0 && lateCount == 0, detail);
    }

    // ---------------------------------------------------------------------------------------------------
    // Money, stock and the ledger's effects

    private Check trialBalance() {
        Answer answer = Http.get(Http.ACCOUNTS + "/ledger/trial-balance", Duration.ofSeconds(30));
        boolean balanced = answer.is(200) && answer.json().path("balanced").asBoolean(false);
        return Check.of("trial balance balanced", balanced, answer.is(200)
                ? "balanced=" + answer.json().path("balanced") + " " + answer.json().path("currencies")
                : "GET /ledger/trial-balance: " + answer);
    }

    private Check moneyConserved(Books books) {
        long sum = 0;
        long held = 0;
        for (Account account : books.accounts().values()) {
            sum += account.balance();
            held += account.held();
        }
        long open = books.holds().stream().filter(hold -> "PLACED".equals(hold.status())).count();
        boolean ok = books.accounts().size() == run.fixture().accounts().size() && sum == run.fixture().funded() && held == 0 && open == 0;
        return Check.of("money conserved", ok, String.format("%d of %d accounts; balances sum to %,d, funded %,d; %,d held in %d open holds",
                books.accounts().size(), run.fixture().accounts().size(), sum, run.fixture().funded(), held, open));
    }

    private Check journalMatchesBalances(Books books) {
        List<String> off = new ArrayList<>();
        for (Account account : books.accounts().values()) {
            long journal = books.journalSums().getOrDefault(account.id(), 0L);
            if (journal != account.balance()) {
                off.add(account.id() + " balance " + account.balance() + " journal " + journal);
            }
        }
        return Check.of("journal sums to each balance", off.isEmpty(),
                off.isEmpty() ? books.accounts().size() + " accounts agree" : off.size() + " differ: " + first(off));
    }

    /** Ledger TRANSFER movements are exactly the COMPLETED transfers, one each, two journal lines each. */
    private Check transfersOnce(Books books) {
        Map<UUID, Books.Transfer> completed = new HashMap<>();
        Map<UUID, Books.Transfer> byId = new HashMap<>();
        for (Books.Transfer transfer : books.transfers()) {
            byId.put(transfer.id(), transfer);
            if ("COMPLETED".equals(transfer.status())) {
                completed.put(transfer.id(), transfer);
            }
        }
        List<String> problems = new ArrayList<>();
        Set<UUID> moved = new HashSet<>();
        for (LedgerMovement movement : books.movements()) {
            if (!"TRANSFER".equals(movement.kind())) {
                continue;
            }
            moved.add(movement.id());
            Books.Transfer transfer = completed.get(movement.id());
            if (transfer == null) {
                problems.add("movement " + movement.id() + " without a COMPLETED transfer ("
                        + (byId.containsKey(movement.id()) ? byId.get(movement.id()).status() : "no transfer") + ")");
            } else if (transfer.amount() != movement.amount() || movement.lines() != 2) {
                problems.add("transfer " + transfer.id() + " of " + transfer.amount() + " moved " + movement.amount()
                        + " in " + movement.lines() + " journal lines");
            }
        }
        for (UUID id : completed.keySet()) {
            if (!moved.contains(id)) {
                problems.add("COMPLETED transfer " + id + " never moved money");
            }
        }
        problems.addAll(clientAgrees(Kind.TRANSFER, byId.keySet().stream()
                .collect(Collectors.toMap(id -> id.toString(), id -> byId.get(id).status()))));
        return Check.of("each transfer moved money once", problems.isEmpty(), String.format(
                "%,d transfers in the database, %,d COMPLETED, %,d ledger movements%s", books.transfers().size(),
                completed.size(), moved.size(), problems.isEmpty() ? "" : "; " + problems.size() + " problems: " + first(problems)));
    }

    /** A CONFIRMED order's hold captured once for its total; any other order's hold never captured. */
    private Check ordersPaidOnce(Books books) {
        Map<UUID, LedgerMovement> captures = new HashMap<>();
        for (LedgerMovement movement : books.movements()) {
            if ("HOLD_CAPTURE".equals(movement.kind())) {
                captures.put(movement.id(), movement);
            }
        }
        Map<UUID, Books.Hold> holds = books.holds().stream().collect(Collectors.toMap(Books.Hold::id, hold -> hold));
        List<String> problems = new ArrayList<>();
        long confirmed = 0;
        Set<UUID> expectedCaptures = new HashSet<>();
        for (Books.Order order : books.orders()) {
            Books.Hold hold = holds.get(order.holdId());
            boolean captured = hold != null && "CAPTURED".equals(hold.status());
            if ("CONFIRMED".equals(order.status())) {
                confirmed++;
                expectedCaptures.add(order.captureCommandId());
                LedgerMovement capture = captures.get(order.captureCommandId());
                if (!captured || hold.capturedAmount() != order.total()) {
                    problems.add("CONFIRMED order " + order.id() + " of " + order.total() + " has hold " + hold);
                } else if (capture == null || capture.amount() != order.total() || capture.lines() != 2) {
                    problems.add("CONFIRMED order " + order.id() + " of " + order.total() + " has capture movement " + capture);
                }
            } else if (captured) {
                problems.add(order.status() + " order " + order.id() + " has its hold CAPTURED for " + hold.capturedAmount());
            }
        }
        for (UUID capture : captures.keySet()) {
            if (!expectedCaptures.contains(capture)) {
                problems.add("hold capture " + capture + " of no CONFIRMED order");
            }
        }
        problems.addAll(clientAgrees(Kind.ORDER, books.orders().stream()
                .collect(Collectors.toMap(order -> order.id().toString(), Books.Order::status))));
        Map<String, Long> statuses = books.orders().stream().collect(Collectors.groupingBy(Books.Order::status, Collectors.counting()));
        return Check.of("each order paid once", problems.isEmpty(), String.format("%,d orders %s, %,d hold captures%s",
                books.orders().size(), statuses, captures.size(), problems.isEmpty() ? "" : "; " + problems.size() + " problems: " + first(problems)));
    }

    /**
     * The client and the database agree: every id the client was given exists, with the final state the client
     * read; and no more were made than the requests the client got no answer to (a retried request making two
     * would show here).
     */
    private List<String> clientAgrees(Kind kind, Map<String, String> database) {
        List<String> problems = new ArrayList<>();
        Set<String> known = new HashSet<>();
        long unanswered = 0;
        for (Request request : run.requests()) {
            if (request.kind != kind) {
                continue;
            }
            if (request.outcome == Outcome.HANG || request.outcome == Outcome.UNREACHABLE || request.outcome == Outcome.SERVER_ERROR) {
                unanswered++;
            }
            if (!request.accepted()) {
                continue;
            }
            known.add(request.id);
            String stored = database.get(request.id);
            if (stored == null) {
                problems.add(kind + " " + request.id + " accepted but not in the database");
            } else if (request.terminal() && !stored.equals(request.state)) {
                problems.add(kind + " " + request.id + " read " + request.state + ", database " + stored);
            }
        }
        long unknown = database.keySet().stream().filter(id -> !known.contains(id)).count();
        if (unknown > unanswered) {
            problems.add(unknown + " " + kind + "s in the database the client was never told of, more than the "
                    + unanswered + " requests it got no answer to");
        }
        return problems;
    }

    /** Each account's balance is its deposit plus its COMPLETED transfers and CONFIRMED orders, nothing else. */
    private Check balancesReconcile(Books books) {
        Map<UUID, Long> expected = new HashMap<>();
        run.fixture().customers().forEach(id -> expected.put(id, run.fixture().deposit()));
        run.fixture().merchants().forEach(id -> expected.put(id, 0L));
        for (Books.Transfer transfer : books.transfers()) {
            if ("COMPLETED".equals(transfer.status())) {
                expected.merge(transfer.from(), -transfer.amount(), Long::sum);
                expected.merge(transfer.to(), transfer.amount(), Long::sum);
            }
        }
        for (Books.Order order : books.orders()) {
            if ("CONFIRMED".equals(order.status())) {
                expected.merge(order.customer(), -order.total(), Long::sum);
                expected.merge(order.merchant(), order.total(), Long::sum);
            }
        }
        List<String> off = new ArrayList<>();
        expected.forEach((id, balance) -> {
            Account account = books.accounts().get(id);
            if (account == null || account.balance() != balance) {
                off.add(id + " expected " + balance + ", ledger " + (account == null ? "none" : account.balance()));
            }
        });
        return Check.of("balances = deposits + completed transfers + confirmed orders", off.isEmpty(),
                off.isEmpty() ? expected.size() + " accounts agree" : off.size() + " differ: " + first(off));
    }

    /** Units taken off each shelf are the CONFIRMED orders' units; each merchant got units x price, no more. */
    private Check stockAndMerchantMoney(Books books) {
        Map<String, Long> sold = new HashMap<>();
        for (Books.Order order : books.orders()) {
            if ("CONFIRMED".equals(order.status())) {
                order.items().forEach(line -> sold.merge(line.sku(), (long) line.quantity(), Long::sum));
            }
        }
        List<String> problems = new ArrayList<>();
        Map<UUID, Long> owed = new HashMap<>();
        long units = 0;
        for (Fixture.Product product : run.fixture().products()) {
            Books.Product shelf = books.products().get(product.sku());
            if (shelf == null) {
                problems.add(product.sku() + " missing");
                continue;
            }
            long taken = product.stock() - shelf.stock();
            long confirmed = sold.getOrDefault(product.sku(), 0L);
            units += taken;
            if (taken != confirmed || shelf.reserved() != 0) {
                problems.add(product.sku() + ": " + taken + " taken, " + confirmed + " in CONFIRMED orders, " + shelf.reserved() + " still reserved");
            }
            owed.merge(product.merchant(), taken * product.price(), Long::sum);
        }
        for (UUID merchant : run.fixture().merchants()) {
            Account account = books.accounts().get(merchant);
            long received = account == null ? -1 : account.balance();
            if (received != owed.getOrDefault(merchant, 0L)) {
                problems.add("merchant " + merchant + " received " + received + " for units worth " + owed.getOrDefault(merchant, 0L));
            }
        }
        return Check.of("stock sold x price = merchants' money", problems.isEmpty(), problems.isEmpty()
                ? String.format("%,d units sold, worth %,d, all received", units, owed.values().stream().mapToLong(Long::longValue).sum())
                : problems.size() + " problems: " + first(problems));
    }

    // ---------------------------------------------------------------------------------------------------
    // Read models

    /**
     * Every account's Redis copy has PostgreSQL's version and balance. A missing copy is allowed only where Redis
     * lost its data (restarted empty) and the account has not changed since; given time to catch up.
     */
    private Check accountReadModel(ReadModels redis) {
        List<UUID> ids = run.fixture().accounts();
        Instant flushedUntil = lostAll() ? run.wall(run.faultEnd()).plusSeconds(2) : Instant.MIN;
        List<String> problems = List.of();
        long deadline = System.nanoTime() + CONVERGE_LIMIT.toNanos();
        do {
            try {
                Map<UUID, Account> books = Books.accounts(ids);
                Map<UUID, Copy> copies = redis.accounts(ids);
                problems = new ArrayList<>();
                for (UUID id : ids) {
                    Account account = books.get(id);
                    Copy copy = copies.get(id);
                    if (copy == null) {
                        if (account.updatedAt().isAfter(flushedUntil)) {
                            problems.add(id + " missing (PostgreSQL version " + account.version() + ")");
                        }
                    } else if (copy.version() != account.version() || copy.state().path("balance").asLong() != account.balance()) {
                        problems.add(id + " Redis version " + copy.version() + " balance " + copy.state().path("balance")
                                + ", PostgreSQL version " + account.version() + " balance " + account.balance());
                    }
                }
            } catch (Exception e) {
                problems = List.of("cannot read: " + e);
            }
            if (problems.isEmpty()) {
                break;
            }
            sleep(1_000);
        } while (System.nanoTime() < deadline);
        return Check.of("Redis account read model = PostgreSQL", problems.isEmpty(), problems.isEmpty()
                ? ids.size() + " accounts agree" : problems.size() + " of " + ids.size() + " differ after "
                + CONVERGE_LIMIT.toSeconds() + " s: " + first(problems));
    }

    /**
     * Every order's Redis copy, where there is one, has PostgreSQL's version and status. The order read model is a
     * cache by design (OrderReadModel): a write that fails is dropped, an unfinished copy expires after 5 s, and a
     * read that misses goes to PostgreSQL, so a missing copy is counted but is no divergence; a copy that
     * disagrees is, once a stale unfinished copy has had its 5 s to expire.
     */
    private Check orderReadModel(ReadModels redis, Books books) {
        List<UUID> ids = books.orders().stream().map(Books.Order::id).toList();
        List<String> problems = List.of();
        long missing = 0;
        sleep(ORDER_COPY_TTL.toMillis());
        long deadline = System.nanoTime() + CONVERGE_LIMIT.toNanos();
        do {
            try {
                Map<UUID, Copy> copies = redis.orders(ids);
                problems = new ArrayList<>();
                missing = 0;
                for (Books.Order order : books.orders()) {
                    Copy copy = copies.get(order.id());
                    if (copy == null) {
                        missing++;
                    } else if (copy.version() != order.version() || !order.status().equals(copy.state().path("status").asText())) {
                        problems.add(order.id() + " Redis version " + copy.version() + " " + copy.state().path("status").asText()
                                + ", PostgreSQL version " + order.version() + " " + order.status());
                    }
                }
            } catch (Exception e) {
                problems = List.of("cannot read: " + e);
            }
            if (problems.isEmpty()) {
                break;
            }
            sleep(1_000);
        } while (System.nanoTime() < deadline);
        String absent = String.format("; %,d have no copy (a dropped cache write: reads of those go to PostgreSQL)", missing);
        return Check.of("Redis order read model = PostgreSQL", problems.isEmpty(), problems.isEmpty()
                ? (ids.size() - missing) + " copies agree" + absent
                : problems.size() + " of " + ids.size() + " differ after " + CONVERGE_LIMIT.toSeconds() + " s: " + first(problems) + absent);
    }

    /** Whether the fault emptied Redis. */
    private boolean lostAll() {
        return run.scenario().name().equals("redis-restart");
    }

    private static Integer port(Kind kind) {
        return kind == Kind.TRANSFER ? 8082 : 8083;
    }

    private static String first(List<String> items) {
        return items.stream().limit(SHOWN).collect(Collectors.joining("; ")) + (items.size() > SHOWN ? "; ..." : "");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
