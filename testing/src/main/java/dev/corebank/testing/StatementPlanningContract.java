package dev.corebank.testing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A service's pool plans every statement for its actual parameters ({@code plan_cache_mode =
 * force_custom_plan}). A prepared statement's generic plan is made once, possibly while a table is nearly
 * empty, and kept until the next ANALYZE: on account-service's command lookup that was a sequential scan,
 * 10-20 ms per batch and growing with the table, where the primary key answers in a fraction of a
 * millisecond. A service's test extends this.
 */
public abstract class StatementPlanningContract {

    @Inject
    Pool pool;

    @Test
    void every_pooled_connection_plans_statements_for_their_parameters() {
        String mode = pool.query("SHOW plan_cache_mode").execute()
                .map(rows -> rows.iterator().next().getString(0))
                .await().atMost(Duration.ofSeconds(10));

        assertThat(mode, equalTo("force_custom_plan"));
    }
}
