package dev.corebank.order.product;

import dev.corebank.platform.id.UuidV7;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.UUID;

/** The catalogue: products are added and restocked here; orders reserve and take their stock (see SagaService). */
@Singleton
public class ProductService {

    private final Pool pool;
    private final ProductRepository products;

    public ProductService(Pool pool, ProductRepository products) {
        this.pool = pool;
        this.products = products;
    }

    public Uni<Product> create(String sku, String name, long price, String currency, int stock, UUID merchantAccountId) {
        Product product = new Product(UuidV7.next(), sku, name, price, currency, stock, 0, merchantAccountId, 0,
                Instant.now());
        return products.insert(pool, product).map(created -> created.orElseThrow(() -> new SkuTaken(sku)));
    }

    public Uni<Product> find(String sku) {
        return products.find(pool, sku).map(found -> found.orElseThrow(() -> new ProductNotFound(sku)));
    }

    /** Puts {@code quantity} more units on the shelf. */
    public Uni<Product> restock(String sku, int quantity) {
        return products.restock(pool, sku, quantity)
                .chain(restocked -> restocked.isPresent()
                        ? Uni.createFrom().item(restocked.get())
                        // Unknown (404), or at its limit (422): which one, the product's row says.
                        : find(sku).map(product -> {
                            throw new StockLimit(sku, ProductRepository.MAX_STOCK);
                        }));
    }
}
