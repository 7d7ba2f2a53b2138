package dev.corebank.order.rest;

import static dev.corebank.platform.rest.RequestChecks.currency;

import dev.corebank.base.security.Caller;
import dev.corebank.order.product.ProductNotFound;
import dev.corebank.order.product.ProductService;
import dev.corebank.platform.security.AccountAccess;
import dev.corebank.platform.security.AccountNotAccessible;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/**
 * The catalogue. Any authenticated caller reads it; a merchant (a customer owning the product's merchant
 * account) or an operator creates and restocks products.
 */
@Path("/products")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ProductResource {

    private final ProductService products;
    private final AccountAccess access;
    private final SecurityIdentity identity;

    public ProductResource(ProductService products, AccountAccess access, SecurityIdentity identity) {
        this.products = products;
        this.access = access;
        this.identity = identity;
    }

    /** 201 with the new product; 409 if its SKU is taken. */
    @POST
    @RolesAllowed({Caller.CUSTOMER, Caller.OPERATOR})
    public Uni<Response> create(@Valid @NotNull OrderRequests.CreateProduct request) {
        return requireMerchant(request.merchantAccountId()).chain(() -> products.create(request.sku(), request.name().strip(), request.price(), currency(request.currency()),
                        request.stock(), request.merchantAccountId()))
                // A path, not a URI: resolving one against the request would need the request context here.
                .map(product -> Response.status(Response.Status.CREATED)
                        .header("Location", "/products/" + product.sku())
                        .entity(ProductView.of(product))
                        .build());
    }

    @GET
    @Path("{sku}")
    @RolesAllowed({Caller.CUSTOMER, Caller.TELLER, Caller.OPERATOR, Caller.SERVICE})
    public Uni<ProductView> get(@PathParam("sku") String sku) {
        return products.find(checked(sku)).map(ProductView::of);
    }

    /** Puts more units on the shelf; 404 for an unknown SKU. */
    @POST
    @Path("{sku}/restock")
    @RolesAllowed({Caller.CUSTOMER, Caller.OPERATOR})
    public Uni<ProductView> restock(@PathParam("sku") String sku, @Valid @NotNull OrderRequests.Restock request) {
        String known = checked(sku);
        return products.find(known)
                .call(product -> requireMerchant(product.merchantAccountId())
                        .onFailure(AccountNotAccessible.class).transform(e -> new ProductNotFound(known)))
                .chain(product -> products.restock(known, request.quantity()))
                .map(ProductView::of);
    }

    /** Operators manage every merchant's products; a customer only those paid to an account it owns. */
    private Uni<Void> requireMerchant(UUID merchantAccountId) {
        Caller caller = Caller.of(identity);
        return caller.is(Caller.OPERATOR) ? Uni.createFrom().voidItem() : access.requireActFor(caller, merchantAccountId);
    }

    /** A SKU in a path that no product could have is simply not found. */
    private static String checked(String sku) {
        if (!sku.matches(OrderRequests.SKU)) {
            throw new ProductNotFound(sku);
        }
        return sku;
    }
}
