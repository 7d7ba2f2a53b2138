package dev.corebank.transfer.rest;

import static dev.corebank.platform.rest.RequestChecks.atMost;
import static dev.corebank.platform.rest.RequestChecks.currency;
import static dev.corebank.platform.rest.RequestChecks.id;
import static dev.corebank.platform.rest.RequestChecks.idempotencyKey;
import static dev.corebank.platform.rest.RequestChecks.intIn;

import dev.corebank.platform.rest.Caller;
import dev.corebank.platform.rest.InvalidRequest;
import dev.corebank.platform.rest.Prefer;
import dev.corebank.transfer.config.TransferConfig;
import dev.corebank.transfer.ratelimit.RateLimited;
import dev.corebank.transfer.ratelimit.RateLimits;
import dev.corebank.transfer.transfers.NewTransfer;
import dev.corebank.transfer.transfers.Transfer;
import dev.corebank.transfer.transfers.TransferCursor;
import dev.corebank.transfer.transfers.TransferService;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TransferResource {

    private final TransferService transfers;
    private final RateLimits rateLimits;
    private final TransferConfig config;

    public TransferResource(TransferService transfers, RateLimits rateLimits, TransferConfig config) {
        this.transfers = transfers;
        this.rateLimits = rateLimits;
        this.config = config;
    }

    /**
     * 202 with the PENDING transfer, or 200 with its outcome if {@code Prefer: wait=N} was asked and the
     * ledger answered within N seconds. A retry with the same Idempotency-Key gets the first answer again.
     */
    @POST
    @Path("transfers")
    public Uni<Response> create(@HeaderParam("Idempotency-Key") String key, @HeaderParam("Prefer") String prefer,
            @HeaderParam(Caller.HEADER) String clientId, @Context HttpServerRequest http,
            @Valid @NotNull TransferRequests.CreateTransfer request) {
        String checkedKey = idempotencyKey(key);
        Caller caller = Caller.of(clientId, http);
        Duration wait = Prefer.waitOf(prefer, config.maxWait());
        NewTransfer transfer = checked(request);
        return rateLimits.take(caller.rateLimitId(), transfer.fromAccountId())
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

    @GET
    @Path("transfers/{id}")
    public Uni<Transfer> get(@PathParam("id") String id) {
        UUID transferId = id("id", id);
        return transfers.find(transferId).map(found -> found.orElseThrow(() -> new TransferNotFound(transferId)));
    }

    /** An account's transfers from either side, newest first; {@code nextCursor} is null on the last page. */
    @GET
    @Path("accounts/{accountId}/transfers")
    public Uni<TransferPage> history(@PathParam("accountId") String accountId, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        UUID account = id("accountId", accountId);
        int pageSize = limit == null ? 50 : (int) intIn("limit", limit, 1, 500);
        TransferCursor before = cursor == null ? TransferCursor.START : decode(cursor);
        return transfers.history(account, before, pageSize).map(page -> TransferPage.of(account, page, pageSize));
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
