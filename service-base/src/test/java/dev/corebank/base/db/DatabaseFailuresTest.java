package dev.corebank.base.db;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.impl.NoStackTraceTimeoutException;
import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import java.net.SocketException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class DatabaseFailuresTest {

    @Test
    void an_unreachable_or_restarting_database_or_a_lost_race_is_transient() {
        assertTrue(DatabaseFailures.transientFailure(new PgException("terminating connection", "FATAL", "57P01", null)));
        assertTrue(DatabaseFailures.transientFailure(new PgException("connection failure", "FATAL", "08006", null)));
        assertTrue(DatabaseFailures.transientFailure(new PgException("deadlock detected", "ERROR", "40P01", null)));
        assertTrue(DatabaseFailures.transientFailure(new ConnectException("Connection refused")));
        assertTrue(DatabaseFailures.transientFailure(new SocketException("Connection reset")));
        assertFalse(DatabaseFailures.transientFailure(new PgException("relation does not exist", "ERROR", "42P01", null)));
        assertFalse(DatabaseFailures.transientFailure(new IllegalStateException("cannot digest")));
    }

    @Test
    void an_overloaded_or_read_only_database_is_unavailable_and_a_broken_statement_is_not() {
        assertTrue(DatabaseFailures.unavailable(new PgException("too many connections", "FATAL", "53300", null)));
        assertTrue(DatabaseFailures.unavailable(new PgException("read-only transaction", "ERROR", "25006", null)));
        assertTrue(DatabaseFailures.unavailable(new PgException("canceling statement", "ERROR", "57014", null)));
        assertTrue(DatabaseFailures.unavailable(new NoStackTraceTimeoutException("Timeout")));
        assertFalse(DatabaseFailures.unavailable(new PgException("duplicate key", "ERROR", "23505", null)));
        assertFalse(DatabaseFailures.unavailable(new IllegalArgumentException("bad")));
    }

    @Test
    void a_wrapped_outage_is_found_among_the_causes() {
        assertTrue(DatabaseFailures.unavailableAnywhere(new CompletionException(new ConnectException("Connection refused"))));
        assertFalse(DatabaseFailures.unavailableAnywhere(new CompletionException(new IllegalStateException("bug"))));
    }
}
