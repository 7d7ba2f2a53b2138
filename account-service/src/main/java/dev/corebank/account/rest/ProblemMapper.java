package dev.corebank.account.rest;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.corebank.account.account.AccountNotFound;
import dev.corebank.account.account.IllegalAccountChange;
import dev.corebank.account.account.VersionMismatch;
import dev.corebank.account.ledger.IdempotencyKeyReused;
import dev.corebank.account.ledger.LedgerRejection;
import io.vertx.pgclient.PgException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every failure a client can cause, and the rest, as {@code application/problem+json}: mapped here once. */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public RestResponse<Problem> invalid(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(field(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        String detail = errors.stream().map(f -> f.field() + " " + f.message()).collect(Collectors.joining("; "));
        return respond(Problem.of("invalid-request", "Invalid request", 400, detail).withErrors(errors), uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> invalid(InvalidRequest e, UriInfo uri) {
        return respond(Problem.of("invalid-request", "Invalid request", 400, e.getMessage())
                .withErrors(List.of(new Problem.FieldError(e.field(), e.getMessage()))), uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> unreadable(JsonProcessingException e, UriInfo uri) {
        String where = e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()
                ? " at " + mapping.getPathReference().replaceFirst("^[^\\[]*", "")
                : "";
        return respond(Problem.of("malformed-body", "Malformed request body", 400,
                "the body is not the JSON this endpoint takes" + where + ": " + e.getOriginalMessage()), uri);
    }

    // Jackson's more specific exceptions have built-in mappers of their own; these take them over.
    @ServerExceptionMapper
    public RestResponse<Problem> mismatched(MismatchedInputException e, UriInfo uri) {
        return unreadable(e, uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> unparsable(JsonParseException e, UriInfo uri) {
        return unreadable(e, uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> notFound(AccountNotFound e, UriInfo uri) {
        return respond(Problem.of("account-not-found", "Account not found", 404, e.getMessage()), uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> stale(VersionMismatch e, UriInfo uri) {
        return respond(Problem.of("version-mismatch", "The account changed since you read it", 412, e.getMessage()), uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> unconditional(PreconditionRequired e, UriInfo uri) {
        return respond(Problem.of("precondition-required", "If-Match required", 428, e.getMessage()), uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> illegal(IllegalAccountChange e, UriInfo uri) {
        return respond(Problem.of("illegal-account-change", "Change not allowed", 409, e.getMessage()), uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> reused(IdempotencyKeyReused e, UriInfo uri) {
        return respond(Problem.of("idempotency-key-reused", "Idempotency-Key reused", 422, e.getMessage()), uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> rejected(LedgerRejection e, UriInfo uri) {
        int status = switch (e.reason()) {
            case ACCOUNT_NOT_FOUND, HOLD_NOT_FOUND -> 404;
            case ACCOUNT_NOT_OPEN, HOLD_ALREADY_RESOLVED, HOLD_EXISTS, HOLD_EXPIRED -> 409;
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
        return unexpected(e, uri);
    }

    /** What JAX-RS itself refuses: unknown paths (404), wrong methods (405), media types (406, 415), sizes (413). */
    @ServerExceptionMapper
    public RestResponse<Problem> http(WebApplicationException e, UriInfo uri) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        if (status.getStatusCode() >= 500) {
            return unexpected(e, uri);
        }
        return respond(Problem.of("http-" + status.getStatusCode(), status.getReasonPhrase(), status.getStatusCode(),
                e.getMessage()), uri);
    }

    @ServerExceptionMapper(priority = 10_000)
    public RestResponse<Problem> unexpected(Throwable e, UriInfo uri) {
        LOG.error("request failed unexpectedly", e);
        return respond(Problem.of("internal-error", "Internal error", 500,
                "the request failed on our side; retry it with the same Idempotency-Key, if it had one"), uri);
    }

    private static RestResponse<Problem> respond(Problem problem, UriInfo uri) {
        return RestResponse.ResponseBuilder.<Problem>create(problem.status())
                .entity(problem.at(uri.getPath()))
                .type(Problem.MEDIA_TYPE)
                .build();
    }

    private static String field(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        // "deposit.request.amount" -> "amount": the method and parameter names mean nothing to a client.
        String[] parts = path.split("\\.");
        return parts.length > 2 ? String.join(".", List.of(parts).subList(2, parts.length)) : parts[parts.length - 1];
    }
}
