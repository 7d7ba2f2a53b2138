package dev.corebank.transfer;

import dev.corebank.testing.PoolTimeoutsContract;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class PoolTimeoutsTest extends PoolTimeoutsContract {
}
