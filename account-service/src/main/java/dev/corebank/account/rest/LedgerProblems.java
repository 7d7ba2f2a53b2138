package dev.corebank.account.rest;

import static dev.corebank.base.rest.ProblemMapper.respond;

import dev.corebank.account.accounts.AccountNotFound;
import dev.corebank.account.accounts.IllegalAccountChange;
import dev.corebank.account.accounts.VersionMismatch;
import dev.corebank.account.ledger.LedgerRejection;
import dev.corebank.base.rest.Problem;
import io.vertx.pgclient.PgException;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The ledger's own failures as problems; the shared ones are mapped by the platform's ProblemMapper. */
public class LedgerProblems {

    private static final Logger LOG = Logger.getLogger(LedgerProblems.class);

    @ServerExceptionMapper
    public RestResponse<Problem> notFound(AccountNotFound e, UriInfo uri) {
        return respond(Problem.of("account-not-found", "Account not found", 404, e.getMessage()), uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> stale(VersionMismatch e, UriInfo uri) {
        return respond(Problem.of("version-mismatch", "The account changed since you read it", 412, e.getMessage()), uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> illegal(IllegalAccountChange e, UriInfo uri) {
        return respond(Problem.of("illegal-account-change", "Change not allowed", 409, e.getMessage()), uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> rejected(LedgerRejection e, UriInfo uri) {
        int status = switch (e.reason()) {
            case ACCOUNT_NOT_FOUND, HOLD_NOT_FOUND -> 404;
            case ACCOUNT_NOT_OPEN, HOLD_ALREADY_RESOLVED, HOLD_ALREADY_CAPTURED, HOLD_EXISTS, HOLD_EXPIRED -> 409;
            default -> 422;
        };
        String slug = e.reason().name().toLowerCase().replace('_', '-');
        return respond(Problem.of(slug, "Rejected by the ledger", status, e.getMessage()).withReason(e.reason().name()), uri);
    }

    /** The database refusing a change: the CHECK constraints are the ledger's last line of defence. */
    @ServerExceptionMapper
    public RestResponse<Problem> refused(PgException e, UriInfo uri) {
        if ("23514".equals(e.getSqlState())) {
            return respond(Problem.of("constraint-violated", "Change not allowed", 409,
                    "the change would break a rule of the ledger: " + e.getErrorMessage()), uri);
        }
        if ("55P03".equals(e.getSqlState())) {
            // lock_not_available: partition DDL gave up waiting behind a long reader (MonthPartitions).
            RestResponse<Problem> busy = respond(Problem.of("journal-busy", "The journal is busy", 503,
                    "a long-running reader holds the journal; nothing was changed, try again later"), uri);
            return RestResponse.ResponseBuilder.fromResponse(busy).header("Retry-After", "30").build();
        }
        LOG.error("request failed in the database", e);
        return respond(Problem.of("internal-error", "Internal error", 500,
                "the request failed on our side; retry it with the same Idempotency-Key, if it had one"), uri);
    }
}
