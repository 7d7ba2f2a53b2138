package dev.corebank.testing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A service's pool runs every connection under the platform's limits (corebank.db, DatabaseTimeouts): a
 * statement, an idle transaction, a peer that vanished cannot hold a connection and its locks for ever. Asked
 * of the server through the service's own pool; the defaults unless the service sets others. A service's
 * test extends this.
 */
public abstract class PoolTimeoutsContract {

    @Inject
    Pool pool;

    @Test
    void every_pooled_connection_runs_with_statement_and_idle_transaction_limits_and_keepalive() {
        Map<String, String> shown = new LinkedHashMap<>();
        for (String setting : List.of("statement_timeout", "idle_in_transaction_session_timeout", "tcp_keepalives_idle",
                "tcp_keepalives_interval", "tcp_keepalives_count")) {
            shown.put(setting, pool.query("SHOW " + setting).execute()
                    .map(rows -> rows.iterator().next().getString(0))
                    .await().atMost(Duration.ofSeconds(10)));
        }

        assertThat(shown, equalTo(Map.of("statement_timeout", "30s", "idle_in_transaction_session_timeout", "1min",
                "tcp_keepalives_idle", "60", "tcp_keepalives_interval", "10", "tcp_keepalives_count", "6")));
    }
}
