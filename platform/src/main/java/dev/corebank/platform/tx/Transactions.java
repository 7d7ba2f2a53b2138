package dev.corebank.platform.tx;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Transactions whose statements may be pipelined. The client's own transactions ({@code Pool.withTransaction})
 * send one statement at a time, each after the previous one's answer, BEGIN included. Here BEGIN goes out with
 * the first statement, and statements the work issues without waiting for each other (several Unis subscribed
 * together, e.g. {@code Uni.combine().all()}) go out together and run in the order they were issued: a
 * transaction of six independent writes is one round trip to the database, not six. On a busy machine every
 * round trip is also a wait for both ends to be scheduled again, so this is latency as much as CPU.
 *
 * <p>The work must let every failed statement fail it. PostgreSQL rolls back a transaction in which a statement
 * failed, silently, at COMMIT: work that recovered from such a failure would be told it committed when it did not.
 */
public final class Transactions {

    private Transactions() {
    }

    /**
     * Runs {@code work} in a transaction on one of {@code pool}'s connections: committed if the work succeeds,
     * rolled back if it (or COMMIT) fails or is cancelled. Either way the connection goes back to the pool with
     * no transaction open.
     */
    public static <T> Uni<T> pipelined(Pool pool, Function<SqlConnection, Uni<T>> work) {
        return borrow(pool).chain(connection -> Uni.combine().all()
                .unis(connection.query("BEGIN").execute(), Uni.createFrom().deferred(() -> work.apply(connection)))
                .combinedWith((begun, result) -> result)
                .call(() -> connection.query("COMMIT").execute())
                .onFailure().call(() -> rollback(connection))
                // Commands run in the order they were sent: a ROLLBACK sent before the connection goes back
                // precedes whatever its next borrower sends.
                .onTermination().call((result, failure, cancelled) -> cancelled
                        ? rollback(connection).chain(connection::close)
                        : connection.close()));
    }

    /**
     * A connection of {@code pool}. Cancelled while the pool has none free, the plain {@code getConnection()}
     * would drop the connection the pool hands over later, and the pool would never see it again.
     */
    private static Uni<SqlConnection> borrow(Pool pool) {
        return Uni.createFrom().deferred(() -> {
            CompletableFuture<SqlConnection> borrowed = pool.getConnection().subscribeAsCompletionStage();
            // A dependent stage, so that cancelling the Uni does not cancel the borrowing itself.
            return Uni.createFrom().completionStage(borrowed.thenApply(connection -> connection))
                    .onCancellation().invoke(() -> borrowed.thenAccept(connection -> connection.close()
                            .subscribe().with(ignored -> { }, ignored -> { })));
        });
    }

    /** ROLLBACK outside a transaction only warns; on a broken connection it fails, and the pool drops the connection. */
    private static Uni<Void> rollback(SqlConnection connection) {
        return connection.query("ROLLBACK").execute().replaceWithVoid().onFailure().recoverWithNull();
    }
}
