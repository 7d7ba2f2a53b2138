package dev.corebank.platform.batch;

import dev.corebank.base.rest.Problem;
import dev.corebank.base.rest.ProblemMapper;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A full {@link GroupCommit} queue as {@code 503 application/problem+json} with {@code Retry-After}: nothing was
 * written, and the same request (with the same Idempotency-Key) may be sent again a moment later.
 */
public class QueueFullProblem {

    /** Seconds a client is asked to wait before trying again. */
    static final int RETRY_AFTER_SECONDS = 1;

    @ServerExceptionMapper
    public RestResponse<Problem> full(QueueFull e, UriInfo uri) {
        RestResponse<Problem> problem = ProblemMapper.respond(Problem.of("overloaded", "Service overloaded", 503,
                e.getMessage()), uri);
        return RestResponse.ResponseBuilder.fromResponse(problem)
                .header("Retry-After", Integer.toString(RETRY_AFTER_SECONDS))
                .build();
    }
}
