package dev.corebank.order.orders;

import dev.corebank.platform.idempotency.Fingerprint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/** A checked order request: who pays, and how many units of which SKUs (each SKU once). */
public record NewOrder(UUID customerAccountId, List<Item> items) {

    public record Item(String sku, int quantity) {
    }

    public NewOrder {
        items = List.copyOf(items);
    }

    /** The same order whatever the order of its lines or its JSON spacing; any other change makes another. */
    public byte[] fingerprint() {
        List<Object> fields = new ArrayList<>();
        fields.add(customerAccountId);
        items.stream()
                .sorted(Comparator.comparing(Item::sku))
                .forEach(item -> {
                    fields.add(item.sku());
                    fields.add(item.quantity());
                });
        return Fingerprint.of(fields.toArray());
    }
}
