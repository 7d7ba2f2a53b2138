package dev.corebank.account;

import dev.corebank.testing.PoolTimeoutsContract;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class PoolTimeoutsTest extends PoolTimeoutsContract {
}
