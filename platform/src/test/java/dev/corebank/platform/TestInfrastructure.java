package dev.corebank.platform;

import dev.corebank.testing.ServiceDatabaseResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/** The platform's tests run against a fresh database of their own and the local stack's Kafka. */
@WithTestResource(value = ServiceDatabaseResource.class, scope = TestResourceScope.GLOBAL, initArgs = {
        @ResourceArg(name = "database", value = "platform"),
        @ResourceArg(name = "owner", value = "postgres")})
final class TestInfrastructure {

    private TestInfrastructure() {
    }
}
