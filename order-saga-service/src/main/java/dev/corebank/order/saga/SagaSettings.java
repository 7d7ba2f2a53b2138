package dev.corebank.order.saga;

import dev.corebank.order.config.OrderConfig;
import dev.corebank.platform.messaging.Backoff;
import java.time.Duration;

/** The saga's timing rules (see {@link OrderConfig.Saga}), as a value the pure state machine can take. */
public record SagaSettings(Backoff backoff, int maxResends, int maxCompensationResends, Duration holdTtl) {

    public static SagaSettings of(OrderConfig.Saga config) {
        return new SagaSettings(new Backoff(config.stepTimeout(), config.maxBackoff()), config.maxResends(),
                config.maxCompensationResends(), config.holdTtl());
    }

    /** How long to wait for the answer to a command re-sent {@code resends} times. */
    Duration waitFor(int resends) {
        return backoff.waitAfter(resends);
    }
}
