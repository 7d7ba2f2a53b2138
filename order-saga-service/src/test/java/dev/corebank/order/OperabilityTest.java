package dev.corebank.order;

import dev.corebank.testing.OperabilityContract;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;

@QuarkusTest
class OperabilityTest extends OperabilityContract {

    @Override
    protected List<String> expectedReadinessChecks() {
        return List.of(POSTGRES, REDIS, KAFKA);
    }
}
