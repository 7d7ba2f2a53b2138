package dev.corebank.order.product;

/** No product has this SKU. */
public class ProductNotFound extends RuntimeException {

    public ProductNotFound(String sku) {
        super("no product has SKU '" + sku + "'", null, false, false);
    }
}
