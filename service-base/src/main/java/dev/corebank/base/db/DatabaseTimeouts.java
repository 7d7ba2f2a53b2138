package dev.corebank.base.db;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.vertx.pgclient.PgConnectOptions;
import java.time.Duration;

/**
 * Limits every database connection of a service carries, so that no statement, no forgotten transaction and no
 * vanished peer can hold a connection (and its locks) for ever. The service pools take them through platform's
 * {@code TimeoutPools}, the relay's source pools through {@link #applyTo}, and the JDBC datasource Flyway uses
 * through platform's {@code META-INF/microprofile-config.properties}. Durations are written as PostgreSQL
 * reads them too, in {@code ms} or {@code s} ({@code 30s}, {@code 300s}; not {@code PT30S}, not {@code 5m}), as the JDBC
 * settings pass them on unchanged.
 */
@ConfigMapping(prefix = "corebank.db")
public interface DatabaseTimeouts {

    /**
     * Longest one statement may run ({@code statement_timeout}); it then fails with 57014, which consumers
     * retry as the database being overloaded. Longer than any statement the services run by design.
     */
    @WithDefault("30s")
    Duration statementTimeout();

    /**
     * Longest a connection may sit idle inside an open transaction ({@code idle_in_transaction_session_timeout})
     * before the server ends the session, releasing its locks: a client that stopped in mid-transaction.
     */
    @WithDefault("60s")
    Duration idleInTransactionTimeout();

    /**
     * Longest a migration statement may run on the JDBC datasource Flyway uses: DDL may wait for locks, and
     * should fail the start-up rather than wait for ever.
     */
    @WithDefault("300s")
    Duration migrationStatementTimeout();

    /** TCP keepalive on both ends of every connection, so a peer that vanished without closing is noticed. */
    Keepalive keepalive();

    interface Keepalive {

        /** Silence on a connection before the first probe (client socket and {@code tcp_keepalives_idle}). */
        @WithDefault("60s")
        Duration idle();

        /** Between unanswered probes. */
        @WithDefault("10s")
        Duration interval();

        /** Unanswered probes after which the connection is dropped. */
        @WithDefault("6")
        int count();
    }

    /**
     * Sets the limits on {@code options}: the session settings as start-up parameters (the server applies them
     * before the first statement, on every connection, re-connections included) and keepalive on the client's
     * socket and, through {@code tcp_keepalives_*}, on the server's.
     */
    default PgConnectOptions applyTo(PgConnectOptions options) {
        Keepalive keepalive = keepalive();
        // The idle/interval/count setters are TCPSSLOptions' own, not overridden to return PgConnectOptions.
        options.setTcpKeepAliveIdleSeconds((int) keepalive.idle().toSeconds())
                .setTcpKeepAliveIntervalSeconds((int) keepalive.interval().toSeconds())
                .setTcpKeepAliveCount(keepalive.count());
        return options
                .addProperty("statement_timeout", Long.toString(statementTimeout().toMillis()))
                .addProperty("idle_in_transaction_session_timeout", Long.toString(idleInTransactionTimeout().toMillis()))
                .addProperty("tcp_keepalives_idle", Long.toString(keepalive.idle().toSeconds()))
                .addProperty("tcp_keepalives_interval", Long.toString(keepalive.interval().toSeconds()))
                .addProperty("tcp_keepalives_count", Integer.toString(keepalive.count()))
                .setTcpKeepAlive(true);
    }
}
