package dev.corebank.order.rest;

import dev.corebank.platform.rest.StorableText;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;

/** Request bodies of the products and orders API. Prices are integers in minor units. */
final class OrderRequests {

    static final String SKU = "[A-Za-z0-9._-]{1,64}";
    static final String SKU_MESSAGE = "must be 1-64 letters, digits, dots, underscores or hyphens";
    static final int MAX_ITEMS = 50;
    static final int MAX_QUANTITY = 10_000;
    static final long MAX_PRICE = 1_000_000_000_000L;
    static final int MAX_STOCK = 1_000_000_000;

    private OrderRequests() {
    }

    record CreateProduct(
            @NotNull @Pattern(regexp = SKU, message = SKU_MESSAGE) String sku,
            @NotBlank @Size(max = 200) @StorableText String name,
            @NotNull @Positive @Max(MAX_PRICE) Long price,
            @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO-4217 code such as EUR") String currency,
            @NotNull @PositiveOrZero @Max(MAX_STOCK) Integer stock,
            @NotNull UUID merchantAccountId) {
    }

    record Restock(@NotNull @Positive @Max(MAX_STOCK) Integer quantity) {
    }

    record CreateOrder(
            @NotNull UUID customerAccountId,
            @NotNull @Size(min = 1, max = MAX_ITEMS) List<@NotNull @Valid Item> items) {
    }

    record Item(
            @NotNull @Pattern(regexp = SKU, message = SKU_MESSAGE) String sku,
            @NotNull @Positive @Max(MAX_QUANTITY) Integer quantity) {
    }
}
