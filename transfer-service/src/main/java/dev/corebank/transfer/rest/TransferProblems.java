package dev.corebank.transfer.rest;

import static dev.corebank.base.rest.ProblemMapper.respond;

import dev.corebank.base.rest.Problem;
import dev.corebank.transfer.ratelimit.RateLimited;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** transfer-service's own failures as problems; the shared ones are mapped by the platform's ProblemMapper. */
public class TransferProblems {

    @ServerExceptionMapper
    public RestResponse<Problem> notFound(TransferNotFound e, UriInfo uri) {
        return respond(Problem.of("transfer-not-found", "Transfer not found", 404, e.getMessage()), uri);
    }

    @ServerExceptionMapper
    public Response limited(RateLimited e, UriInfo uri) {
        Problem problem = Problem.of("rate-limited", "Too many requests", 429, e.getMessage()).at(uri.getPath());
        Response.ResponseBuilder response = Response.status(429).entity(problem).type(Problem.MEDIA_TYPE);
        RateLimitHeaders.add(response, e.decision());
        return response.build();
    }
}
