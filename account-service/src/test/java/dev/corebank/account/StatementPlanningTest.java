package dev.corebank.account;

import dev.corebank.testing.StatementPlanningContract;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class StatementPlanningTest extends StatementPlanningContract {
}
