package dev.corebank.platform.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corebank.platform.id.UuidV7;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pipelined transactions against the real database, on a pool of one connection so each test reuses it. */
@QuarkusTest
class TransactionsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    Vertx vertx;

    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String url;

    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    private Pool oneConnection;

    @BeforeEach
    void openPool() {
        oneConnection = PgBuilder.pool()
                .connectingTo(PgConnectOptions.fromUri(url).setUser(user))
                .with(new PoolOptions().setMaxSize(1))
                .using(vertx)
                .build();
        oneConnection.query("CREATE TABLE IF NOT EXISTS tx_test (id uuid PRIMARY KEY, n int NOT NULL)")
                .execute().await().atMost(WAIT);
    }

    @AfterEach
    void closePool() {
        oneConnection.close().await().atMost(WAIT);
    }

    @Test
    void statements_issued_together_commit_together_in_the_order_issued() {
        UUID first = UuidV7.next();
        UUID second = UuidV7.next();

        Transactions.pipelined(oneConnection, tx -> Uni.combine().all()
                        .unis(insert(tx, first, 1), insert(tx, second, 2),
                                // Runs after both inserts, so it sees them: the order issued is the order run.
                                tx.preparedQuery("UPDATE tx_test SET n = n * 10 WHERE id = ANY($1)")
                                        .execute(Tuple.of(new UUID[] {first, second})))
                        .discardItems())
                .await().atMost(WAIT);

        assertEquals(10, n(first));
        assertEquals(20, n(second));
        assertNoTransactionLeftOpen();
    }

    @Test
    void a_failed_statement_fails_the_work_and_rolls_back_every_statement_of_it() {
        UUID kept = UuidV7.next();
        insert(oneConnection, kept, 1).await().atMost(WAIT);
        UUID fresh = UuidV7.next();

        PgException failure = assertThrows(PgException.class, () -> Transactions.pipelined(oneConnection,
                        tx -> Uni.combine().all()
                                .unis(insert(tx, fresh, 1), insert(tx, kept, 2), insert(tx, UuidV7.next(), 3))
                                .discardItems())
                .await().atMost(WAIT));

        assertEquals("23505", failure.getSqlState(), "the statement that failed is the one reported");
        assertEquals(0, count(fresh), "the insert before the failure was rolled back");
        assertEquals(1, n(kept));
        assertNoTransactionLeftOpen();
    }

    @Test
    void work_that_fails_in_java_after_writing_rolls_back() {
        UUID id = UuidV7.next();

        assertThrows(IllegalStateException.class, () -> Transactions.pipelined(oneConnection, tx -> insert(tx, id, 1)
                        .chain(() -> Uni.createFrom().failure(new IllegalStateException("changed my mind"))))
                .await().atMost(WAIT));

        assertEquals(0, count(id));
        assertNoTransactionLeftOpen();
    }

    @Test
    void cancelled_work_is_rolled_back_before_the_connection_serves_anyone_else() {
        UUID id = UuidV7.next();
        CompletableFuture<Void> written = new CompletableFuture<>();

        Cancellable running = Transactions.pipelined(oneConnection, tx -> insert(tx, id, 1)
                        .invoke(() -> written.complete(null))
                        .chain(() -> Uni.createFrom().nothing()))
                .subscribe().with(ignored -> { }, ignored -> { });
        written.join();
        running.cancel();

        assertEquals(0, count(id));
        assertNoTransactionLeftOpen();
    }

    @Test
    void work_cancelled_while_waiting_for_a_connection_leaves_the_pool_whole() {
        SqlConnection busy = oneConnection.getConnection().await().atMost(WAIT);
        Cancellable waiting = Transactions.pipelined(oneConnection, tx -> tx.query("SELECT 1").execute())
                .subscribe().with(ignored -> { }, ignored -> { });
        waiting.cancel();
        // The pool hands its one connection to the cancelled waiter, which must give it back.
        busy.close().await().atMost(WAIT);

        int one = Transactions.pipelined(oneConnection, tx -> tx.query("SELECT 1 AS one").execute())
                .map(rows -> rows.iterator().next().getInteger("one"))
                .await().atMost(Duration.ofSeconds(10));

        assertEquals(1, one);
        assertNoTransactionLeftOpen();
    }

    private static Uni<Void> insert(SqlClient client, UUID id, int n) {
        return client.preparedQuery("INSERT INTO tx_test (id, n) VALUES ($1, $2)")
                .execute(Tuple.of(id, n))
                .replaceWithVoid();
    }

    private int n(UUID id) {
        return oneConnection.preparedQuery("SELECT n FROM tx_test WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.iterator().next().getInteger("n"))
                .await().atMost(WAIT);
    }

    private long count(UUID id) {
        return oneConnection.preparedQuery("SELECT count(*) FROM tx_test WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.iterator().next().getLong(0))
                .await().atMost(WAIT);
    }

    /** The pool's one connection runs a statement in a transaction of its own, not inside one left open. */
    private void assertNoTransactionLeftOpen() {
        boolean ownTransaction = oneConnection
                .query("SELECT xact_start = query_start AS own FROM pg_stat_activity WHERE pid = pg_backend_pid()")
                .execute()
                .map(rows -> rows.iterator().next().getBoolean("own"))
                .await().atMost(WAIT);
        assertTrue(ownTransaction, "a transaction was left open on the pooled connection");
    }
}
