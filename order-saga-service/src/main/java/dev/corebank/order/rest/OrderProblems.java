package dev.corebank.order.rest;

import static dev.corebank.base.rest.ProblemMapper.respond;

import dev.corebank.base.rest.Problem;
import dev.corebank.order.orders.OrderNotFound;
import dev.corebank.order.orders.OrderRejected;
import dev.corebank.order.product.ProductNotFound;
import dev.corebank.order.product.SkuTaken;
import dev.corebank.order.product.StockLimit;
import dev.corebank.order.saga.NotRetryable;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** order-saga-service's own failures as problems; the shared ones are mapped by the platform's ProblemMapper. */
public class OrderProblems {

    @ServerExceptionMapper
    public RestResponse<Problem> orderNotFound(OrderNotFound e, UriInfo uri) {
        return respond(Problem.of("order-not-found", "Order not found", 404, e.getMessage()), uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> productNotFound(ProductNotFound e, UriInfo uri) {
        return respond(Problem.of("product-not-found", "Product not found", 404, e.getMessage()), uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> skuTaken(SkuTaken e, UriInfo uri) {
        return respond(Problem.of("sku-taken", "SKU taken", 409, e.getMessage()), uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> stockLimit(StockLimit e, UriInfo uri) {
        return respond(Problem.of("stock-limit", "Too much stock", 422, e.getMessage()), uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> rejected(OrderRejected e, UriInfo uri) {
        return respond(Problem.of("order-rejected", "Order cannot be placed", 422, e.getMessage())
                .withErrors(List.of(new Problem.FieldError(e.field(), e.getMessage()))), uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> notRetryable(NotRetryable e, UriInfo uri) {
        return respond(Problem.of("saga-not-retryable", "Saga not retryable", 409, e.getMessage()), uri);
    }
}
