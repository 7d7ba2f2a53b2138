package dev.corebank.order.product;

/** A product with this SKU exists already. */
public class SkuTaken extends RuntimeException {

    public SkuTaken(String sku) {
        super("a product with SKU '" + sku + "' exists already", null, false, false);
    }
}
