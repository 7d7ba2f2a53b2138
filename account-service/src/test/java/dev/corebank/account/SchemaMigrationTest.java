package dev.corebank.account;

import dev.corebank.testing.SchemaMigrationContract;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;

@QuarkusTest
class SchemaMigrationTest extends SchemaMigrationContract {

    @Override
    protected List<String> serviceTables() {
        return List.of("accounts");
    }
}
