package dev.corebank.order;

import dev.corebank.testing.StatementPlanningContract;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class StatementPlanningTest extends StatementPlanningContract {
}
