package dev.corebank.order.rest;

import dev.corebank.base.security.Caller;
import jakarta.annotation.security.RolesAllowed;
import static dev.corebank.platform.rest.RequestChecks.id;
import static dev.corebank.platform.rest.RequestChecks.intIn;

import dev.corebank.order.orders.Order;
import dev.corebank.order.orders.OrderStatus;
import dev.corebank.order.orders.SagaLogEntry;
import dev.corebank.order.saga.OrderService;
import dev.corebank.order.saga.SagaService;
import dev.corebank.platform.rest.InvalidRequest;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

/** For operators: sagas that have not finished, and a retry for those that gave up (FAILED). */
@Path("/admin/sagas")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.OPERATOR)
public class AdminResource {

    private static final List<OrderStatus> UNFINISHED = List.of(OrderStatus.PENDING, OrderStatus.FAILED);

    private final OrderService orders;
    private final SagaService sagas;

    public AdminResource(OrderService orders, SagaService sagas) {
        this.orders = orders;
        this.sagas = sagas;
    }

    /** A saga as operators look at it: where it is, since when, and what it waits for. */
    public record SagaSummary(UUID orderId, String status, String step, String reason, int attempts,
            Instant deadlineAt, Instant updatedAt, List<SagaLogEntry> steps) {

        static SagaSummary of(Order order) {
            return new SagaSummary(order.id(), order.status().name(), order.step().name(), order.reason(),
                    order.attempts(), order.deadlineAt(), order.updatedAt(), order.log());
        }
    }

    public record SagaList(List<SagaSummary> sagas) {
    }

    /**
     * Unfinished sagas ({@code status} PENDING or FAILED; both if absent) unchanged for at least {@code stuckFor}
     * (an ISO-8601 duration such as PT5M; default none), longest unchanged first.
     */
    @GET
    public Uni<SagaList> list(@QueryParam("status") String status, @QueryParam("stuckFor") String stuckFor,
            @QueryParam("limit") String limit) {
        List<OrderStatus> statuses = status == null ? UNFINISHED : List.of(unfinished(status));
        Duration stuck = stuckFor == null ? Duration.ZERO : duration(stuckFor);
        int pageSize = limit == null ? 100 : (int) intIn("limit", limit, 1, 1000);
        return orders.unfinished(statuses, stuck, pageSize)
                .map(found -> new SagaList(found.stream().map(SagaSummary::of).toList()));
    }

    /** Starts a FAILED saga's compensation again: 202; 404 for an unknown order, 409 unless FAILED. */
    @POST
    @Path("{id}/retry")
    public Uni<Response> retry(@PathParam("id") String id) {
        return sagas.retry(id("id", id)).map(order -> Response.accepted(SagaSummary.of(order)).build());
    }

    private static OrderStatus unfinished(String status) {
        try {
            OrderStatus parsed = OrderStatus.valueOf(status);
            if (UNFINISHED.contains(parsed)) {
                return parsed;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw new InvalidRequest("status", "status must be PENDING or FAILED (the unfinished ones), got '" + status + "'");
    }

    private static Duration duration(String value) {
        try {
            Duration parsed = Duration.parse(value);
            if (parsed.isNegative()) {
                throw new DateTimeParseException("negative", value, 0);
            }
            return parsed;
        } catch (DateTimeParseException e) {
            throw new InvalidRequest("stuckFor", "stuckFor must be a non-negative ISO-8601 duration such as PT5M, got '"
                    + value + "'");
        }
    }
}
