package dev.corebank.order.orders;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** One line of an order's saga log: a step ({@code PLACE_HOLD}), what happened to it ({@code SENT}), when. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SagaLogEntry(String name, String status, String detail, Instant at) {
}
