package dev.corebank.order.rest;

import static dev.corebank.platform.rest.RequestChecks.currency;

import dev.corebank.order.product.ProductNotFound;
import dev.corebank.order.product.ProductService;
import io.smallrye.mutiny.Uni;
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

@Path("/products")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ProductResource {

    private final ProductService products;

    public ProductResource(ProductService products) {
        this.products = products;
    }

    /** 201 with the new product; 409 if its SKU is taken. */
    @POST
    public Uni<Response> create(@Valid @NotNull OrderRequests.CreateProduct request) {
        return products.create(request.sku(), request.name().strip(), request.price(), currency(request.currency()),
                        request.stock(), request.merchantAccountId())
                // A path, not a URI: resolving one against the request would need the request context here.
                .map(product -> Response.status(Response.Status.CREATED)
                        .header("Location", "/products/" + product.sku())
                        .entity(ProductView.of(product))
                        .build());
    }

    @GET
    @Path("{sku}")
    public Uni<ProductView> get(@PathParam("sku") String sku) {
        return products.find(checked(sku)).map(ProductView::of);
    }

    /** Puts more units on the shelf; 404 for an unknown SKU. */
    @POST
    @Path("{sku}/restock")
    public Uni<ProductView> restock(@PathParam("sku") String sku, @Valid @NotNull OrderRequests.Restock request) {
        return products.restock(checked(sku), request.quantity()).map(ProductView::of);
    }

    /** A SKU in a path that no product could have is simply not found. */
    private static String checked(String sku) {
        if (!sku.matches(OrderRequests.SKU)) {
            throw new ProductNotFound(sku);
        }
        return sku;
    }
}
