package dev.corebank.transfer.rest;

import static dev.corebank.platform.rest.RequestChecks.atMost;
import static dev.corebank.platform.rest.RequestChecks.currency;
import static dev.corebank.platform.rest.RequestChecks.id;
import static dev.corebank.platform.rest.RequestChecks.idempotencyKey;
import static dev.corebank.platform.rest.RequestChecks.intIn;

import dev.corebank.base.security.Caller;
import dev.corebank.platform.rest.InvalidRequest;
import dev.corebank.platform.rest.Prefer;
import dev.corebank.platform.security.AccountAccess;
import dev.corebank.platform.security.AccountNotAccessible;
import dev.corebank.transfer.config.TransferConfig;
import dev.corebank.transfer.ratelimit.RateLimited;
import dev.corebank.transfer.ratelimit.RateLimits;
import dev.corebank.transfer.transfers.NewTransfer;
import dev.corebank.transfer.transfers.Transfer;
import dev.corebank.transfer.transfers.TransferCursor;
import dev.corebank.transfer.transfers.TransferService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Transfers. A customer moves money only from its own accounts and reads transfers of its own accounts
 * (account-service says who owns an account: {@link AccountAccess}); tellers act for any customer; operators
 * and services read. The ownership check comes before the rate limit, so nobody drains another's bucket.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TransferResource {

    private final TransferService transfers;
    private final RateLimits rateLimits;
    private final TransferConfig config;
    private final AccountAccess access;
    private final SecurityIdentity identity;

    public TransferResource(TransferService transfers, RateLimits rateLimits, TransferConfig config, AccountAccess access,
            SecurityIdentity identity) {
        this.transfers = transfers;
        this.rateLimits = rateLimits;
        this.config = config;
        this.access = access;
        this.identity = identity;
    }

    /**
     * 202 with the PENDING transfer, or 200 with its outcome if {@code Prefer: wait=N} was asked and the
     * ledger answered within N seconds. A retry with the same Idempotency-Key gets the first answer again.
     */
    @POST
    @Path("transfers")
    @RolesAllowed({Caller.CUSTOMER, Caller.TELLER})
    public Uni<Response> create(@HeaderParam("Idempotency-Key") String key, @HeaderParam("Prefer") String prefer,
            @Valid @NotNull TransferRequests.CreateTransfer request) {
        String checkedKey = idempotencyKey(key);
        Caller caller = Caller.of(identity);
        Duration wait = Prefer.waitOf(prefer, config.maxWait());
        NewTransfer transfer = checked(request);
        return access.requireActFor(caller, transfer.fromAccountId())
                .chain(() -> rateLimits.take(caller.rateLimitId(), transfer.fromAccountId()))
                .invoke(decision -> {
                    if (!decision.allowed()) {
                        throw new RateLimited(decision);
                    }
                })
                .chain(decision -> transfers.accept(caller.keyScope(), checkedKey, transfer, wait)
                        .map(answer -> {
                            Response.ResponseBuilder response = Response.status(answer.response().status())
                                    .entity(answer.response().body())
                                    .type(MediaType.APPLICATION_JSON)
                                    .header("Location", "/transfers/" + answer.response().transferId());
                            if (answer.replayed()) {
                                response.header("Idempotent-Replayed", "true");
                            }
                            if (!wait.isZero()) {
                                response.header("Preference-Applied", "wait=" + wait.toSeconds());
                            }
                            RateLimitHeaders.add(response, decision);
                            return response.build();
                        }));
    }

    /** A customer sees a transfer from or to one of its accounts; anyone else's answers 404, as a missing one. */
    @GET
    @Path("transfers/{id}")
    @RolesAllowed({Caller.CUSTOMER, Caller.TELLER, Caller.OPERATOR, Caller.SERVICE})
    public Uni<Transfer> get(@PathParam("id") String id) {
        UUID transferId = id("id", id);
        Caller caller = Caller.of(identity);
        return transfers.find(transferId)
                .map(found -> found.orElseThrow(() -> new TransferNotFound(transferId)))
                .call(transfer -> caller.readsEveryAccount() ? Uni.createFrom().voidItem()
                        : access.requireRead(caller, transfer.fromAccountId())
                                .onFailure(AccountNotAccessible.class).recoverWithUni(() -> access.requireRead(caller, transfer.toAccountId()))
                                .onFailure(AccountNotAccessible.class).transform(e -> new TransferNotFound(transferId)));
    }

    /** An account's transfers from either side, newest first; {@code nextCursor} is null on the last page. */
    @GET
    @Path("accounts/{accountId}/transfers")
    @RolesAllowed({Caller.CUSTOMER, Caller.TELLER, Caller.OPERATOR, Caller.SERVICE})
    public Uni<TransferPage> history(@PathParam("accountId") String accountId, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        UUID account = id("accountId", accountId);
        int pageSize = limit == null ? 50 : (int) intIn("limit", limit, 1, 500);
        TransferCursor before = cursor == null ? TransferCursor.START : decode(cursor);
        return access.requireRead(Caller.of(identity), account)
                .chain(() -> transfers.history(account, before, pageSize))
                .map(page -> TransferPage.of(account, page, pageSize));
    }

    private NewTransfer checked(TransferRequests.CreateTransfer request) {
        if (request.fromAccountId().equals(request.toAccountId())) {
            throw new InvalidRequest("toAccountId", "toAccountId must differ from fromAccountId");
        }
        long amount = atMost("amount", request.amount(), config.maxAmount());
        return new NewTransfer(request.fromAccountId(), request.toAccountId(), amount, currency(request.currency()),
                request.description());
    }

    private static TransferCursor decode(String cursor) {
        try {
            return TransferCursor.decode(cursor);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequest("cursor", "cursor must be a nextCursor this API returned");
        }
    }

    public record TransferPage(UUID accountId, List<Transfer> transfers, String nextCursor) {

        static TransferPage of(UUID accountId, List<Transfer> transfers, int pageSize) {
            String next = transfers.size() < pageSize ? null
                    : TransferCursor.after(transfers.get(transfers.size() - 1)).encode();
            return new TransferPage(accountId, transfers, next);
        }
    }
}
