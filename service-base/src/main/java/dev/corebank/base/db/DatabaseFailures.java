package dev.corebank.base.db;

import io.vertx.core.impl.NoStackTraceTimeoutException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.SocketException;

/**
 * Which database failures say nothing about the work that met them: the database away, restarting or
 * overloaded. A consumer retries such work without limit, holding its partitions; an HTTP request is answered
 * {@code 503} with {@code Retry-After}, as nothing was done and the same request will succeed later.
 */
public final class DatabaseFailures {

    private DatabaseFailures() {
    }

    /**
     * The database unreachable or restarting (08xxx, 57Pxx, refused, reset or closed connections), or a serialization
     * conflict or deadlock (40001, 40P01) that a retry resolves.
     */
    public static boolean transientFailure(Throwable failure) {
        if (failure instanceof PgException pg && pg.getSqlState() != null) {
            String state = pg.getSqlState();
            return state.startsWith("08") || state.startsWith("57P") || state.equals("40001") || state.equals("40P01");
        }
        // SocketException covers a refused connection (ConnectException) and one the server reset in mid-request,
        // as a PostgreSQL shutting down does to the statements it was running.
        return failure instanceof SocketException || failure instanceof ClosedConnectionException;
    }

    /**
     * {@link #transientFailure} or the database overloaded: no pooled connection in time, out of connections or
     * memory (53xxx), read-only during a failover (25006), a statement timeout (57014).
     */
    public static boolean unavailable(Throwable failure) {
        if (transientFailure(failure) || failure instanceof NoStackTraceTimeoutException) {
            return true;
        }
        if (failure instanceof PgException pg && pg.getSqlState() != null) {
            String state = pg.getSqlState();
            return state.startsWith("53") || state.equals("25006") || state.equals("57014");
        }
        return false;
    }

    /** {@link #unavailable} for {@code failure} or any of its causes, as a failure may arrive wrapped. */
    public static boolean unavailableAnywhere(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (unavailable(cause)) {
                return true;
            }
        }
        return false;
    }
}
