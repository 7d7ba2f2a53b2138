package dev.corebank.transfer.transfers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corebank.messages.ledger.RejectionReason;
import dev.corebank.messages.transfer.TransferEvent;
import dev.corebank.platform.batch.GroupCommit;
import dev.corebank.platform.id.UuidV7;
import dev.corebank.platform.idempotency.IdempotencyKeyReused;
import dev.corebank.platform.idempotency.RequestInFlight;
import dev.corebank.platform.messaging.Backoff;
import dev.corebank.platform.outbox.Outbox;
import dev.corebank.platform.outbox.OutboxEvent;
import dev.corebank.platform.tx.Transactions;
import dev.corebank.transfer.config.TransferConfig;
import dev.corebank.transfer.idempotency.IdempotencyRepository;
import dev.corebank.transfer.idempotency.KeyAnswer;
import dev.corebank.transfer.idempotency.KeyClaim;
import dev.corebank.transfer.idempotency.KeyRecord;
import dev.corebank.transfer.idempotency.StoredResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Transfers: accepted under an Idempotency-Key (the key, the row and the ledger command commit together),
 * settled when the ledger answers, and their commands re-sent while they stay PENDING.
 */
@Singleton
public class TransferService {

    /** How long past its wait an in-flight request may take to store its answer before retries stop getting 409. */
    private static final Duration IN_FLIGHT_GRACE = Duration.ofSeconds(10);

    private static final String NOTIFY = "SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload";

    private final Pool pool;
    private final TransferRepository transfers;
    private final IdempotencyRepository keys;
    private final Outbox outbox;
    private final OutcomeWaiters waiters;
    private final ObjectMapper json;
    private final TransferConfig.Topics topics;
    private final Counter accepted;
    private final Counter replayed;
    private final Timer completion;
    private final DistributionSummary settleBatchSizes;
    private final MeterRegistry registry;
    private final GroupCommit<Acceptance, Boolean> acceptances;
    private final GroupCommit<KeyAnswer, Optional<StoredResponse>> answers;

    public TransferService(Pool pool, TransferRepository transfers, IdempotencyRepository keys, Outbox outbox,
            OutcomeWaiters waiters, ObjectMapper json, TransferConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.transfers = transfers;
        this.keys = keys;
        this.outbox = outbox;
        this.waiters = waiters;
        this.json = json;
        this.topics = config.topics();
        this.registry = registry;
        this.accepted = Counter.builder("transfers.accepted").description("Transfers accepted (new keys)").register(registry);
        this.replayed = Counter.builder("transfers.replayed")
                .description("Requests answered from an Idempotency-Key's stored answer").register(registry);
        this.completion = Timer.builder("transfers.completion")
                .description("From a transfer's acceptance to the ledger's posting")
                .publishPercentileHistogram()
                .register(registry);
        this.settleBatchSizes = DistributionSummary.builder("transfers.settle.batch.size")
                .description("Ledger answers per settling transaction (one Kafka poll's worth), committed")
                .register(registry);
        TransferConfig.Batching batching = config.batching();
        this.acceptances = new GroupCommit<>("transfer-accepts", batching.maxSize(), batching.maxInFlight(),
                batching.maxQueued(), registry,
                this::acceptAll);
        this.answers = new GroupCommit<>("idempotency-answers", batching.maxSize(), batching.maxInFlight(),
                batching.maxQueued(), registry,
                batch -> keys.answer(pool, batch));
    }

    /** The answer to a POST and whether it was replayed from an earlier request with the same key. */
    public record Answer(StoredResponse response, boolean replayed) {
    }

    /**
     * Accepts {@code request} under {@code (clientId, key)}; with a {@code wait} above zero, answers only once
     * the outcome is known or the wait is over. A key seen before gets its first answer again.
     */
    public Uni<Answer> accept(String clientId, String key, NewTransfer request, Duration wait) {
        Transfer transfer = Transfer.request(request.fromAccountId(), request.toAccountId(), request.amount(),
                request.currency(), request.description());
        byte[] fingerprint = request.fingerprint();
        boolean waits = !wait.isZero();
        Optional<StoredResponse> immediate = waits ? Optional.empty() : Optional.of(respond(transfer));
        Instant inFlightUntil = waits ? Instant.now().plus(wait).plus(IN_FLIGHT_GRACE) : null;
        if (waits) {
            waiters.expect(transfer.id());
        }
        KeyClaim claim = new KeyClaim(clientId, key, fingerprint, transfer.id(), inFlightUntil, immediate);
        return acceptances.submit(new Acceptance(claim, transfer))
                .chain(claimed -> claimed ? Uni.createFrom().item(Optional.<KeyRecord>empty()) : holderOf(claim))
                .onTermination().invoke((existing, failure, cancelled) -> {
                    if (failure != null || cancelled || existing.isPresent()) {
                        waiters.forget(transfer.id());
                    }
                })
                .chain(existing -> existing.isPresent()
                        ? replay(existing.get(), fingerprint)
                        : answerNew(clientId, key, transfer, immediate, wait));
    }

    public Uni<Optional<Transfer>> find(UUID id) {
        return transfers.find(pool, id);
    }

    public Uni<List<Transfer>> history(UUID accountId, TransferCursor before, int limit) {
        return transfers.history(pool, accountId, before, limit);
    }

    /**
     * Records the ledger's outcomes in one transaction: each PENDING transfer among them is settled, its
     * event appended to the outbox, and its waiters woken: this replica's once the transaction committed, other
     * replicas' by a NOTIFY delivered at commit. Outcomes for transfers settled already, or not this service's,
     * change nothing. Returns how many transfers were settled.
     */
    public Uni<Integer> settle(List<Outcome> outcomes) {
        return Transactions.pipelined(pool, tx -> transfers.settle(tx, outcomes)
                        .map(settled -> settled.stream().map(this::settled).toList())
                        .call(settled -> settled.isEmpty() ? Uni.createFrom().voidItem() : announce(tx, settled)))
                .invoke(settled -> settled.stream()
                        .filter(Settled::awaitedHere)
                        .forEach(done -> waiters.settled(done.transfer().id(), done.rendered())))
                .call(settled -> wakeSettledEarlier(outcomes, settled))
                .invoke(this::measure)
                .invoke(() -> settleBatchSizes.record(outcomes.size()))
                .map(List::size);
    }

    /**
     * Wakes this replica's waiters for outcomes that found their transfer settled already. That happens when an
     * earlier attempt committed although its caller saw it fail (the connection dropped during COMMIT): the retry
     * settles nothing, and the waiters the first attempt would have woken are still waiting. Rare: one read per
     * such transfer; should the read fail, they end their wait and read the row themselves, as without this.
     */
    private Uni<Void> wakeSettledEarlier(List<Outcome> outcomes, List<Settled> settled) {
        Set<UUID> justSettled = settled.stream().map(done -> done.transfer().id()).collect(Collectors.toSet());
        List<UUID> stillWaiting = outcomes.stream()
                .map(Outcome::transferId)
                .filter(id -> !justSettled.contains(id) && waiters.awaits(id))
                .toList();
        if (stillWaiting.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(stillWaiting)
                .onItem().transformToUniAndConcatenate(id -> transfers.find(pool, id))
                .invoke(found -> found.filter(Transfer::isFinal)
                        .ifPresent(transfer -> waiters.settled(transfer.id(), render(transfer))))
                .collect().last()
                .replaceWithVoid()
                .onFailure().recoverWithNull();
    }

    /** Re-sends the commands of PENDING transfers whose answer is overdue by {@code backoff}; returns how many. */
    public Uni<Integer> resendStale(Backoff backoff, int batch) {
        return pool.withTransaction(tx -> transfers.dueForResend(tx, backoff, batch)
                .call(due -> outbox.append(tx, due.stream().map(this::command).toList()))
                .map(List::size));
    }

    public Uni<Long> pendingCount() {
        return transfers.pendingCount(pool);
    }

    /** A request to accept: its claim on the key and the transfer it makes if the claim holds. */
    private record Acceptance(KeyClaim claim, Transfer transfer) {
    }

    /**
     * One transaction for a batch of concurrent requests: each key is claimed, and for each claim that holds
     * the transfer row and its ledger command are written. Answers, per request, whether its claim held.
     */
    private Uni<List<Boolean>> acceptAll(List<Acceptance> batch) {
        return Transactions.pipelined(pool, tx -> keys.claim(tx, batch.stream().map(Acceptance::claim).toList())
                        .call(claimed -> record(tx, batch.stream()
                                .map(Acceptance::transfer)
                                .filter(transfer -> claimed.contains(transfer.id()))
                                .toList())))
                .invoke(claimed -> accepted.increment(claimed.size()))
                .map(claimed -> batch.stream().map(acceptance -> claimed.contains(acceptance.transfer().id())).toList());
    }

    private Uni<Void> record(SqlConnection tx, List<Transfer> claimed) {
        if (claimed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // Issued together, run in this order, the outbox append last (see Outbox).
        return Uni.combine().all()
                .unis(transfers.insert(tx, claimed), outbox.append(tx, claimed.stream().map(this::command).toList()))
                .discardItems();
    }

    /**
     * Who holds the key {@code claim} did not get. Empty if it is {@code claim}'s own transfer: a batch that
     * failed as it committed had in fact committed, and this request is being run again alone.
     */
    private Uni<Optional<KeyRecord>> holderOf(KeyClaim claim) {
        return keys.find(pool, claim.clientId(), claim.key())
                .map(found -> found.orElseThrow(() -> new IllegalStateException(
                        "Idempotency-Key " + claim.key() + " conflicted but is gone")))
                .map(holder -> holder.transferId().equals(claim.transferId()) ? Optional.empty() : Optional.of(holder));
    }

    private Uni<Answer> answerNew(String clientId, String key, Transfer transfer, Optional<StoredResponse> immediate,
            Duration wait) {
        if (immediate.isPresent()) {
            return Uni.createFrom().item(new Answer(immediate.get(), false));
        }
        // A notified transfer is settled, so final (200), and it never changes again: a retry renders this very
        // answer from the row (see replay), so nothing needs storing. Without a notification in time, the row is
        // read once more (the one that would have come may have been lost) and the answer kept for retries.
        Uni<StoredResponse> reread = transfers.find(pool, transfer.id())
                .map(found -> respond(found.orElse(transfer)))
                .chain(response -> keep(new KeyAnswer(clientId, key, response)));
        return waiters.await(transfer.id(), wait)
                .chain(settled -> settled.isPresent()
                        ? Uni.createFrom().item(new StoredResponse(transfer.id(), 200, settled.get()))
                        : reread)
                .map(response -> new Answer(response, false));
    }

    /**
     * Stores {@code answer} as its key's answer unless the key has one already, and gives the one it has. A
     * request whose wait ran out and a retry that found the transfer settled may both get here: whichever
     * stores first, both answer alike.
     */
    private Uni<StoredResponse> keep(KeyAnswer answer) {
        return answers.submit(answer).chain(kept -> kept.isPresent()
                ? Uni.createFrom().item(kept.get())
                : keys.find(pool, answer.clientId(), answer.key())
                        .map(found -> found.flatMap(KeyRecord::response).orElseThrow(() -> new IllegalStateException(
                                "Idempotency-Key " + answer.key() + " kept no answer"))));
    }

    private Uni<Answer> replay(KeyRecord existing, byte[] fingerprint) {
        if (!existing.sameRequest(fingerprint)) {
            return Uni.createFrom().failure(new IdempotencyKeyReused(existing.key()));
        }
        replayed.increment();
        if (existing.response().isPresent()) {
            return Uni.createFrom().item(new Answer(existing.response().get(), true));
        }
        // No answer stored: the first request is still waiting, or it answered with the settled transfer (which
        // is not stored, see answerNew), or its replica went away while it waited. A settled transfer is the
        // answer in the first two cases and a fine one in the third; a pending one is only while nobody waits.
        return transfers.find(pool, existing.transferId())
                .map(found -> found.orElseThrow(() -> new IllegalStateException(
                        "Idempotency-Key " + existing.key() + " names a missing transfer " + existing.transferId())))
                .chain(transfer -> !transfer.isFinal() && existing.inFlight(Instant.now())
                        ? Uni.createFrom().failure(new RequestInFlight(existing.key()))
                        : keep(new KeyAnswer(existing.clientId(), existing.key(), respond(transfer))))
                .map(response -> new Answer(response, true));
    }

    private StoredResponse respond(Transfer transfer) {
        return new StoredResponse(transfer.id(), transfer.isFinal() ? 200 : 202, render(transfer));
    }

    /** The transfer as the API shows it: the body of its responses and of its settlement's notification. */
    private String render(Transfer transfer) {
        try {
            return json.writeValueAsString(transfer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a transfer always serializes", e);
        }
    }

    /** A transfer just settled, as the API renders it, and whether a request on this replica waits for it. */
    private record Settled(Transfer transfer, String rendered, boolean awaitedHere) {
    }

    private Settled settled(Transfer transfer) {
        return new Settled(transfer, render(transfer), waiters.awaits(transfer.id()));
    }

    private Uni<Void> announce(SqlConnection tx, List<Settled> settled) {
        Uni<Void> append = outbox.append(tx, settled.stream().map(done -> event(done.transfer())).toList());
        String[] elsewhere = settled.stream()
                .filter(done -> !done.awaitedHere())
                .map(done -> OutcomeWaiters.payload(done.transfer().id(), done.rendered()))
                .toArray(String[]::new);
        if (elsewhere.length == 0) {
            return append;
        }
        // NOTIFY is delivered at commit; the outbox append comes last, as it holds its lane locks until then.
        // Issued together, they run in this order.
        return Uni.combine().all()
                .unis(tx.preparedQuery(NOTIFY).execute(Tuple.of(OutcomeWaiters.CHANNEL, elsewhere)), append)
                .discardItems();
    }

    private OutboxEvent command(Transfer transfer) {
        // Keyed by the source account: the ledger receives one account's transfers in the order they were made.
        return OutboxEvent.of(UuidV7.next(), topics.ledgerCommands(), "Account", transfer.fromAccountId().toString(),
                transfer.command());
    }

    private OutboxEvent event(Transfer transfer) {
        TransferEvent event = transfer.status() == TransferStatus.COMPLETED
                ? new TransferEvent.TransferCompleted(transfer.id(), transfer.fromAccountId(), transfer.toAccountId(),
                        transfer.amount(), transfer.currency(), transfer.completedAt())
                : new TransferEvent.TransferFailed(transfer.id(), transfer.fromAccountId(), transfer.toAccountId(),
                        transfer.amount(), transfer.currency(),
                        RejectionReason.valueOf(transfer.reason()), transfer.detail(),
                        transfer.completedAt());
        return OutboxEvent.of(UuidV7.next(), topics.transferEvents(), "Transfer", transfer.id().toString(), (Record) event);
    }

    private void measure(List<Settled> settled) {
        for (Settled done : settled) {
            Transfer transfer = done.transfer();
            registry.counter("transfers.settled", "status", transfer.status().name()).increment();
            if (transfer.status() == TransferStatus.COMPLETED) {
                completion.record(Duration.between(transfer.createdAt(), transfer.completedAt()));
            }
        }
    }
}
