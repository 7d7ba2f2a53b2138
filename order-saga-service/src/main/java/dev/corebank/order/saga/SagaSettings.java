package dev.corebank.order.saga;

import dev.corebank.order.config.OrderConfig;
import java.time.Duration;

/** The saga's timing rules (see {@link OrderConfig.Saga}), as a value the pure state machine can take. */
public record SagaSettings(Duration stepTimeout, Duration maxBackoff, int maxResends, int maxCompensationResends,
        Duration holdTtl) {

    public static SagaSettings of(OrderConfig.Saga config) {
        return new SagaSettings(config.stepTimeout(), config.maxBackoff(), config.maxResends(),
                config.maxCompensationResends(), config.holdTtl());
    }

    /** How long to wait for the answer to a command sent for the ({@code attempt}+1)-th time: doubling, capped. */
    Duration waitFor(int attempt) {
        Duration wait = stepTimeout.multipliedBy(1L << Math.min(attempt, 20));
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
