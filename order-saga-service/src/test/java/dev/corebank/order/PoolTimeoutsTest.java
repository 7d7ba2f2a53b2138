package dev.corebank.order;

import dev.corebank.testing.PoolTimeoutsContract;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class PoolTimeoutsTest extends PoolTimeoutsContract {
}
