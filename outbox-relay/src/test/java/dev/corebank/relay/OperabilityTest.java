package dev.corebank.relay;

import dev.corebank.testing.OperabilityContract;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;

@QuarkusTest
class OperabilityTest extends OperabilityContract {

    @Override
    protected List<String> expectedReadinessChecks() {
        return List.of("Outbox source databases", KAFKA);
    }
}
