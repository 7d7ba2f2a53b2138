package dev.corebank.relay;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/** Every test of this module runs against fresh source databases and the local stack's Kafka. */
@WithTestResource(value = RelaySourcesResource.class, scope = TestResourceScope.GLOBAL)
final class TestInfrastructure {

    private TestInfrastructure() {
    }
}
