package dev.corebank.order.rest;

import static dev.corebank.platform.rest.RequestChecks.id;
import static dev.corebank.platform.rest.RequestChecks.idempotencyKey;
import static dev.corebank.platform.rest.RequestChecks.optionalNonNegative;

import dev.corebank.base.security.Caller;
import dev.corebank.order.config.OrderConfig;
import dev.corebank.order.orders.NewOrder;
import dev.corebank.order.saga.OrderService;
import dev.corebank.order.orders.OrderNotFound;
import dev.corebank.platform.rest.InvalidRequest;
import dev.corebank.platform.rest.Prefer;
import dev.corebank.platform.security.AccountAccess;
import dev.corebank.platform.security.AccountNotAccessible;
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
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * Orders. A customer orders, and pays, from its own account and reads only its own orders (anyone else's
 * answer 404, as a missing one); tellers order for any customer; operators and services read.
 */
@Path("/orders")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class OrderResource {

    private final OrderService orders;
    private final OrderConfig config;
    private final AccountAccess access;
    private final SecurityIdentity identity;

    public OrderResource(OrderService orders, OrderConfig config, AccountAccess access, SecurityIdentity identity) {
        this.orders = orders;
        this.config = config;
        this.access = access;
        this.identity = identity;
    }

    /**
     * 202 with the PENDING order, or 200 with a CONFIRMED or CANCELLED one (out of stock at once, or finished
     * within {@code Prefer: wait=N} seconds). A retry with the same Idempotency-Key gets the same order as it is now.
     */
    @POST
    @RolesAllowed({Caller.CUSTOMER, Caller.TELLER})
    public Uni<Response> create(@HeaderParam("Idempotency-Key") String key, @HeaderParam("Prefer") String prefer,
            @Valid @NotNull OrderRequests.CreateOrder request) {
        String checkedKey = idempotencyKey(key);
        Caller caller = Caller.of(identity);
        Duration wait = Prefer.waitOf(prefer, config.maxWait());
        NewOrder order = checked(request);
        return access.requireActFor(caller, order.customerAccountId())
                .chain(() -> orders.accept(caller.keyScope(), checkedKey, order, wait))
                .map(answer -> {
                    OrderView view = OrderView.of(answer.order());
                    Response.ResponseBuilder response = Response.status(answer.order().isFinal() ? 200 : 202)
                            .entity(view)
                            .header("Location", "/orders/" + view.id())
                            .tag(new EntityTag(Long.toString(view.version())));
                    if (answer.replayed()) {
                        response.header("Idempotent-Replayed", "true");
                    }
                    if (!wait.isZero()) {
                        response.header("Preference-Applied", "wait=" + wait.toSeconds());
                    }
                    return response.build();
                });
    }

    /**
     * The order, from the Redis read model; {@code minVersion} (e.g. the ETag of an earlier answer) makes an
     * older copy there fall through to PostgreSQL, so a client always reads at least what it has seen.
     */
    @GET
    @Path("{id}")
    @RolesAllowed({Caller.CUSTOMER, Caller.TELLER, Caller.OPERATOR, Caller.SERVICE})
    public Uni<Response> get(@PathParam("id") String id, @QueryParam("minVersion") String minVersion) {
        UUID orderId = id("id", id);
        long atLeast = optionalNonNegative("minVersion", minVersion).orElse(0);
        Caller caller = Caller.of(identity);
        return orders.find(orderId, atLeast)
                .call(read -> access.requireRead(caller, read.order().customerAccountId())
                        .onFailure(AccountNotAccessible.class).transform(e -> new OrderNotFound(orderId)))
                .map(read -> Response.ok(OrderView.of(read.order()))
                        .tag(new EntityTag(Long.toString(read.order().version())))
                        .header("X-Read-Source", read.cached() ? "cache" : "database")
                        .build());
    }

    private static NewOrder checked(OrderRequests.CreateOrder request) {
        Set<String> seen = new HashSet<>();
        for (OrderRequests.Item item : request.items()) {
            if (!seen.add(item.sku())) {
                throw new InvalidRequest("items", "each SKU may appear once in an order; '" + item.sku() + "' is repeated");
            }
        }
        return new NewOrder(request.customerAccountId(), request.items().stream()
                .map(item -> new NewOrder.Item(item.sku(), item.quantity()))
                .toList());
    }
}
