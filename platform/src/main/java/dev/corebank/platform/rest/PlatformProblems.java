package dev.corebank.platform.rest;

import dev.corebank.base.rest.Problem;
import dev.corebank.base.rest.ProblemMapper;
import dev.corebank.platform.idempotency.IdempotencyKeyReused;
import dev.corebank.platform.idempotency.RequestInFlight;
import dev.corebank.platform.security.AccountNotAccessible;
import dev.corebank.platform.security.AccountsUnavailable;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The failures of the platform's own request handling, as {@code application/problem+json}: request checks,
 * preconditions, Idempotency-Keys and account access. What every HTTP API shares (validation, credentials,
 * JAX-RS refusals, the unexpected) is service-base's {@link ProblemMapper}.
 */
public class PlatformProblems {

    private static final Logger LOG = Logger.getLogger(PlatformProblems.class);

    @ServerExceptionMapper
    public RestResponse<Problem> invalid(InvalidRequest e, UriInfo uri) {
        return ProblemMapper.respond(Problem.of("invalid-request", "Invalid request", 400, e.getMessage())
                .withErrors(List.of(new Problem.FieldError(e.field(), e.getMessage()))), uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> unconditional(PreconditionRequired e, UriInfo uri) {
        return ProblemMapper.respond(Problem.of("precondition-required", "If-Match required", 428, e.getMessage()), uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> reused(IdempotencyKeyReused e, UriInfo uri) {
        return ProblemMapper.respond(Problem.of("idempotency-key-reused", "Idempotency-Key reused", 422, e.getMessage()),
                uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> inFlight(RequestInFlight e, UriInfo uri) {
        return ProblemMapper.respond(Problem.of("request-in-flight", "Request still in flight", 409, e.getMessage()), uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> notAccessible(AccountNotAccessible e, UriInfo uri) {
        return ProblemMapper.respond(Problem.of("account-not-found", "Account not found", 404, e.getMessage()), uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> accountsUnavailable(AccountsUnavailable e, UriInfo uri) {
        LOG.warnf("ownership check failed: %s", e.getMessage());
        return ProblemMapper.unavailable(Problem.of("accounts-unavailable", "Accounts unavailable", 503,
                "could not check who owns the account; nothing was done, retry later"), uri);
    }
}
