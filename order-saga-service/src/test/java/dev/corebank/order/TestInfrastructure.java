package dev.corebank.order;

import dev.corebank.testing.ServiceDatabaseResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/**
 * Every test of this module runs against a fresh database of its own, created for the run and dropped
 * after it, plus the local stack's Redis and Kafka (or Dev Services, where no local stack is named).
 */
@WithTestResource(value = ServiceDatabaseResource.class, scope = TestResourceScope.GLOBAL, initArgs = {
        @ResourceArg(name = "database", value = "orders"),
        @ResourceArg(name = "owner", value = "order_svc")})
final class TestInfrastructure {

    private TestInfrastructure() {
    }
}
