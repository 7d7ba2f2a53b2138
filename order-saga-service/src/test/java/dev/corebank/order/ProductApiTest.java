package dev.corebank.order;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The catalogue: products are created once per SKU, read with their stock, and restocked. */
@QuarkusTest
class ProductApiTest {

    @Test
    void a_product_is_created_read_and_restocked() {
        UUID merchant = UUID.randomUUID();
        String sku = Orders.sku("mug");

        Response created = Orders.createProduct(sku, 1_250, 7, merchant);
        assertEquals(201, created.statusCode(), created.asString());
        assertEquals("/products/" + sku, created.header("Location"));
        assertEquals(7, created.jsonPath().getInt("available"));

        Response read = given().get("/products/{sku}", sku);
        assertEquals(200, read.statusCode());
        assertEquals(1_250, read.jsonPath().getLong("price"));
        assertEquals("EUR", read.jsonPath().getString("currency"));
        assertEquals(merchant.toString(), read.jsonPath().getString("merchantAccountId"));
        assertEquals(0, read.jsonPath().getInt("reserved"));

        Response restocked = given().contentType("application/json").body(Map.of("quantity", 5))
                .post("/products/{sku}/restock", sku);
        assertEquals(200, restocked.statusCode(), restocked.asString());
        assertEquals(12, restocked.jsonPath().getInt("stock"));
        assertEquals(12, Orders.stock(sku));
        assertEquals(read.jsonPath().getLong("version") + 1, restocked.jsonPath().getLong("version"));
    }
}
