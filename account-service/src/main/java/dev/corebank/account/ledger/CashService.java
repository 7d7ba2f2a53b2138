package dev.corebank.account.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corebank.account.accounts.Account;
import dev.corebank.account.accounts.AccountNotFound;
import dev.corebank.account.accounts.AccountRepository;
import dev.corebank.account.journal.Movement;
import dev.corebank.messages.ledger.LedgerEvent;
import dev.corebank.messages.ledger.LedgerEvent.FundsDeposited;
import dev.corebank.messages.ledger.LedgerEvent.FundsWithdrawn;
import dev.corebank.platform.id.UuidV7;
import dev.corebank.platform.idempotency.IdempotencyKeyReused;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgException;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Deposits and withdrawals over HTTP: double entries against the bank's cash account of the currency, each
 * under the client's Idempotency-Key. A key names one movement of one account: the same request again gets
 * the first answer, a different request under the same key is refused.
 */
@Singleton
public class CashService {

    private final Pool pool;
    private final AccountRepository accounts;
    private final AnswerRepository answers;
    private final Ledger ledger;
    private final ObjectMapper json;

    public CashService(Pool pool, AccountRepository accounts, AnswerRepository answers, Ledger ledger, ObjectMapper json) {
        this.pool = pool;
        this.accounts = accounts;
        this.answers = answers;
        this.ledger = ledger;
        this.json = json;
    }

    /**
     * A DEPOSIT to, or a WITHDRAWAL from, {@code accountId}, under the Idempotency-Key of the caller whose key
     * scope is {@code keyScope}: two tellers who happen to send the same key make two movements.
     */
    public Uni<CashReceipt> move(Movement.Kind kind, UUID accountId, String keyScope, String idempotencyKey, long amount,
            String reference) {
        CashRequest request = new CashRequest(kind, accountId, keyScope, idempotencyKey, amount, reference);
        return Uni.createFrom().deferred(() -> pool.withTransaction(tx -> answers.find(tx, List.of(request.movementId()))
                        .chain(previous -> previous.containsKey(request.movementId())
                                ? Uni.createFrom().item(() -> replay(previous.get(request.movementId()), request))
                                : post(tx, request))))
                // Two requests with one key at once: the loser's insert of the same movement fails; retried, it finds the answer.
                .onFailure(CashService::answeredConcurrently).retry().atMost(1);
    }

    private Uni<CashReceipt> post(SqlConnection tx, CashRequest request) {
        return accounts.find(tx, request.accountId())
                .map(found -> found.orElseThrow(() -> new AccountNotFound(request.accountId())))
                .chain(account -> accounts.systemAccountIds(tx, List.of(account.currency())))
                .chain(cash -> ledger.lock(tx, with(cash, request.accountId()), List.of()))
                .chain(batch -> {
                    Account after = request.kind() == Movement.Kind.DEPOSIT
                            ? batch.deposit(request.movementId(), request.accountId(), request.amount(), request.reference())
                            : batch.withdraw(request.movementId(), request.accountId(), request.amount(), request.reference());
                    // The version is the one the account will have once written (one bump per transaction).
                    CashReceipt receipt = CashReceipt.of(request.movementId(), request.kind(), request.amount(),
                            after.withVersion(after.version() + 1));
                    UUID eventId = UuidV7.next();
                    LedgerEvent event = request.kind() == Movement.Kind.DEPOSIT
                            ? new FundsDeposited(request.movementId(), after.id(), request.amount(), after.currency(), request.reference())
                            : new FundsWithdrawn(request.movementId(), after.id(), request.amount(), after.currency(), request.reference());
                    Answer answer = new Answer(request.movementId(), request.kind().name(), request.fingerprint(), eventId,
                            event.getClass().getSimpleName(), json.valueToTree(receipt).toString());
                    return ledger.write(tx, batch, List.of(answer), List.of(ledger.event(eventId, "account", after.id(), event)))
                            .replaceWith(receipt);
                });
    }

    private CashReceipt replay(Answer answer, CashRequest request) {
        if (!Objects.equals(answer.fingerprint(), request.fingerprint())) {
            throw new IdempotencyKeyReused(request.idempotencyKey());
        }
        try {
            return json.readValue(answer.reply(), CashReceipt.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored answer of " + answer.commandId() + " is not a receipt", e);
        }
    }

    private static List<UUID> with(List<UUID> ids, UUID id) {
        List<UUID> all = new ArrayList<>(ids);
        all.add(id);
        return all;
    }

    private static boolean answeredConcurrently(Throwable failure) {
        return failure instanceof PgException pg && "23505".equals(pg.getSqlState())
                && ("movements_pkey".equals(pg.getConstraint()) || "commands_pkey".equals(pg.getConstraint()));
    }

    /** One deposit or withdrawal as asked; its movement id is derived from the account and the key. */
    private record CashRequest(Movement.Kind kind, UUID accountId, String keyScope, String idempotencyKey, long amount,
            String reference) {

        CashRequest {
            if (kind != Movement.Kind.DEPOSIT && kind != Movement.Kind.WITHDRAWAL) {
                throw new IllegalArgumentException("cash moves are deposits or withdrawals, not " + kind);
            }
        }

        UUID movementId() {
            // A name-based UUID: the same caller's key on the same account is the same movement, whichever
            // replica handles the retry. The caller is part of it (since 2026-12-08): before, a second teller's
            // deposit under a key another teller had used was answered with the first one's receipt and never
            // made. A retry spanning that upgrade is not recognised as one.
            return UUID.nameUUIDFromBytes((kind + "|" + accountId + "|" + keyScope.length() + ":" + keyScope + "|" + idempotencyKey)
                    .getBytes(StandardCharsets.UTF_8));
        }

        /** What must be equal for a repeat to be the same request. */
        String fingerprint() {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256")
                        .digest((amount + "|" + Objects.toString(reference, "")).getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(digest);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every JVM", e);
            }
        }
    }
}
