package dev.corebank.base.rest;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.corebank.base.db.DatabaseFailures;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The failures every HTTP API of ours shares, the relay's included, as {@code application/problem+json}
 * (RFC 9457): requests that fail bean validation or are unreadable, missing or refused credentials, what
 * JAX-RS itself refuses, the database being unavailable ({@code 503} with {@code Retry-After}), and anything
 * unexpected. Platform maps the failures of its own request handling
 * (request checks, idempotency, account access) in PlatformProblems; a service maps its domain failures in
 * a mapper of its own; both with {@link #respond}.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
    // Long enough for a restarting database or a failover to finish, short enough that a client retrying at
    // this pace sees the service back within seconds of its dependency.
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

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
    public RestResponse<Problem> unauthenticated(UnauthorizedException e, UriInfo uri) {
        return unauthenticated(uri, "this endpoint needs a bearer token (Authorization: Bearer <JWT>)");
    }

    @ServerExceptionMapper
    public RestResponse<Problem> unauthenticated(AuthenticationFailedException e, UriInfo uri) {
        // Why a token failed (signature, issuer, expiry) is logged by the verifier, not told to the caller.
        return unauthenticated(uri, "the bearer token is missing, malformed, expired or not signed by a trusted issuer");
    }

    @ServerExceptionMapper
    public RestResponse<Problem> forbidden(ForbiddenException e, UriInfo uri) {
        return respond(Problem.of("forbidden", "Forbidden", 403, "your roles do not allow this request"), uri);
    }

    private static RestResponse<Problem> unauthenticated(UriInfo uri, String detail) {
        RestResponse<Problem> problem = respond(Problem.of("unauthenticated", "Unauthenticated", 401, detail), uri);
        problem.getHeaders().add("WWW-Authenticate", "Bearer");
        return problem;
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
        if (DatabaseFailures.unavailableAnywhere(e)) {
            // Not a bug, and not the client's fault: the same request will go through once the database is back.
            LOG.warnf("request refused while the database is unavailable: %s", e);
            return unavailable(Problem.of("database-unavailable", "Service unavailable", 503,
                    "the database is not answering; retry after the Retry-After seconds, with the same Idempotency-Key "
                            + "if the request had one"), uri);
        }
        LOG.error("request failed unexpectedly", e);
        return respond(Problem.of("internal-error", "Internal error", 500,
                "the request failed on our side; retry it with the same Idempotency-Key, if it had one"), uri);
    }

    /**
     * A {@code 503} problem with {@code Retry-After}: a dependency is away for now, so a client should try the same
     * request again later rather than treat it as failed for good.
     */
    public static RestResponse<Problem> unavailable(Problem problem, UriInfo uri) {
        RestResponse<Problem> response = respond(problem, uri);
        response.getHeaders().add("Retry-After", Long.toString(RETRY_AFTER.toSeconds()));
        return response;
    }

    /** The problem as the response, its {@code instance} the request's path. */
    public static RestResponse<Problem> respond(Problem problem, UriInfo uri) {
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
