package dev.corebank.account.rest;

import static dev.corebank.platform.rest.RequestChecks.atMost;
import static dev.corebank.platform.rest.RequestChecks.currency;
import static dev.corebank.platform.rest.RequestChecks.id;
import static dev.corebank.platform.rest.RequestChecks.idempotencyKey;
import static dev.corebank.platform.rest.RequestChecks.ifMatch;
import static dev.corebank.platform.rest.RequestChecks.intIn;
import static dev.corebank.platform.rest.RequestChecks.optionalNonNegative;

import dev.corebank.account.accounts.AccountNotFound;
import dev.corebank.account.accounts.AccountService;
import dev.corebank.account.config.LedgerConfig;
import dev.corebank.account.journal.JournalEntry;
import dev.corebank.account.journal.Movement;
import dev.corebank.account.journal.StatementCursor;
import dev.corebank.account.ledger.CashReceipt;
import dev.corebank.account.ledger.CashService;
import dev.corebank.base.security.Caller;
import dev.corebank.platform.rest.InvalidRequest;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Accounts. Customers open and read their own accounts (404 for anyone else's, as for one that does not
 * exist); tellers open accounts for anyone, edit them and take deposits and pay withdrawals; operators and
 * services read every account.
 */
@Path("/accounts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AccountResource {

    private static final String READ_SOURCE = "X-Read-Source";

    private final AccountService accounts;
    private final CashService cash;
    private final LedgerConfig config;
    private final SecurityIdentity identity;

    public AccountResource(AccountService accounts, CashService cash, LedgerConfig config, SecurityIdentity identity) {
        this.accounts = accounts;
        this.cash = cash;
        this.config = config;
        this.identity = identity;
    }

    @POST
    @RolesAllowed({Caller.CUSTOMER, Caller.TELLER})
    public Uni<RestResponse<AccountView>> open(@Valid @NotNull AccountRequests.OpenAccount request, UriInfo uri) {
        long overdraft = request.overdraftLimit() == null ? 0
                : atMost("overdraftLimit", request.overdraftLimit(), config.maxAmount());
        Caller caller = Caller.of(identity);
        if (Caller.BANK.equals(request.ownerId())) {
            throw new InvalidRequest("ownerId", "'" + Caller.BANK + "' is reserved for the bank's own accounts");
        }
        if (!caller.actsForEveryAccount() && (!caller.subject().equals(request.ownerId()) || overdraft > 0)) {
            throw new ForbiddenException("a customer opens accounts for itself (ownerId = its subject), without overdraft");
        }
        return accounts.open(request.ownerId(), currency(request.currency()), overdraft)
                .map(account -> {
                    AccountView view = AccountView.of(account.changed());
                    return RestResponse.ResponseBuilder.<AccountView>created(URI.create(uri.getPath() + "/" + view.id()))
                            .entity(view)
                            .tag(view.version() + "")
                            .build();
                });
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Caller.CUSTOMER, Caller.TELLER, Caller.OPERATOR, Caller.SERVICE})
    public Uni<RestResponse<AccountView>> get(@PathParam("id") String id, @QueryParam("minVersion") String minVersion) {
        UUID accountId = id("id", id);
        Caller caller = Caller.of(identity);
        OptionalLong atLeast = optionalNonNegative("minVersion", minVersion);
        return accounts.ownerOf(accountId)
                .invoke(owner -> requireRead(caller, accountId, owner))
                .chain(owner -> accounts.find(accountId, owner, atLeast))
                .map(read -> {
                    AccountView view = AccountView.of(read.account());
                    return RestResponse.ResponseBuilder.ok(view)
                            .tag(view.version() + "")
                            .header(READ_SOURCE, read.source().name().toLowerCase())
                            .build();
                });
    }

    @PATCH
    @Path("/{id}")
    @RolesAllowed(Caller.TELLER)
    public Uni<RestResponse<AccountView>> edit(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch,
            @Valid @NotNull AccountRequests.EditAccount request) {
        UUID accountId = id("id", id);
        long expected = ifMatch(ifMatch);
        if (request.status() == null && request.overdraftLimit() == null) {
            throw new InvalidRequest("body", "send status, overdraftLimit or both");
        }
        if (request.overdraftLimit() != null) {
            atMost("overdraftLimit", request.overdraftLimit(), config.maxAmount());
        }
        return accounts.edit(accountId, expected, request.status(), request.overdraftLimit())
                .map(account -> {
                    AccountView view = AccountView.of(account.changed());
                    return RestResponse.ResponseBuilder.ok(view).tag(view.version() + "").build();
                });
    }

    @POST
    @Path("/{id}/deposits")
    @RolesAllowed(Caller.TELLER)
    public Uni<RestResponse<CashReceipt>> deposit(@PathParam("id") String id,
            @HeaderParam("Idempotency-Key") String key, @Valid @NotNull AccountRequests.Cash request) {
        return move(Movement.Kind.DEPOSIT, id, key, request);
    }

    @POST
    @Path("/{id}/withdrawals")
    @RolesAllowed(Caller.TELLER)
    public Uni<RestResponse<CashReceipt>> withdraw(@PathParam("id") String id,
            @HeaderParam("Idempotency-Key") String key, @Valid @NotNull AccountRequests.Cash request) {
        return move(Movement.Kind.WITHDRAWAL, id, key, request);
    }

    private Uni<RestResponse<CashReceipt>> move(Movement.Kind kind, String id, String key, AccountRequests.Cash request) {
        UUID accountId = id("id", id);
        String checkedKey = idempotencyKey(key);
        long amount = atMost("amount", request.amount(), config.maxAmount());
        return cash.move(kind, accountId, Caller.of(identity).keyScope(), checkedKey, amount, request.reference())
                .map(receipt -> RestResponse.status(RestResponse.Status.CREATED, receipt));
    }

    @GET
    @Path("/{id}/entries")
    @RolesAllowed({Caller.CUSTOMER, Caller.TELLER, Caller.OPERATOR, Caller.SERVICE})
    public Uni<Statement> entries(@PathParam("id") String id, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        UUID accountId = id("id", id);
        int pageSize = limit == null ? 50 : (int) intIn("limit", limit, 1, 500);
        StatementCursor before = cursor == null ? StatementCursor.START : decode(cursor);
        Caller caller = Caller.of(identity);
        Uni<Void> allowed = caller.readsEveryAccount() ? Uni.createFrom().voidItem()
                : accounts.ownerOf(accountId).invoke(owner -> requireRead(caller, accountId, owner)).replaceWithVoid();
        return allowed.chain(() -> accounts.statement(accountId, before, pageSize))
                .map(entries -> Statement.of(accountId, entries, pageSize));
    }

    /** Someone else's account answers as one that does not exist: nobody learns which accounts exist. */
    private static void requireRead(Caller caller, UUID accountId, String ownerId) {
        if (!caller.mayRead(ownerId)) {
            throw new AccountNotFound(accountId);
        }
    }

    private static StatementCursor decode(String cursor) {
        try {
            return StatementCursor.decode(cursor);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequest("cursor", "cursor must be a nextCursor this API returned");
        }
    }

    /** A page of an account's entries, newest first; {@code nextCursor} is null on the last page. */
    public record Statement(UUID accountId, List<JournalEntry> entries, String nextCursor) {

        static Statement of(UUID accountId, List<JournalEntry> entries, int pageSize) {
            String next = entries.size() < pageSize ? null : StatementCursor.after(entries.get(entries.size() - 1)).encode();
            return new Statement(accountId, entries, next);
        }
    }
}
