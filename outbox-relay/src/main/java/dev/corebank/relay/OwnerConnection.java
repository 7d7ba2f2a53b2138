package dev.corebank.relay;

import dev.corebank.relay.source.OutboxRepository;
import dev.corebank.relay.source.OutboxRepository.Session;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.pgclient.PgConnectOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * The lane-owner connection of one source relay: a dedicated session whose advisory locks are the lanes this
 * instance publishes. If the instance dies, the session and so its locks go, and peers take the lanes. Instances
 * count each other by this connection's application name. Runs on the source relay's context.
 */
final class OwnerConnection {

    private static final Logger LOG = Logger.getLogger(OwnerConnection.class);

    /** application_name of the lane-owner connection: one per live instance, which is how peers are counted. */
    static final String APPLICATION_NAME = "corebank-outbox-relay-owner";

    private final String source;
    private final Vertx vertx;
    private final PgConnectOptions connectOptions;
    private final OutboxRepository outbox;
    private final Duration answerWithin;
    private final Executor onContext;
    private final Runnable lost;

    private PgConnection connection;
    private Session session;
    /** Sessions of owner connections given up on, which may still hold lane locks: ended on the next connection. */
    private final List<Session> abandoned = new ArrayList<>();

    /**
     * @param answerWithin how long a statement on this connection may go unanswered before it is given up on
     * @param lost called on the context once this connection is closed or given up on: its locks are gone, or go
     *             once its session is ended, so peers may already be publishing those lanes
     */
    OwnerConnection(String source, Vertx vertx, PgConnectOptions connectOptions, OutboxRepository outbox,
            Duration answerWithin, Executor onContext, Runnable lost) {
        this.source = source;
        this.vertx = vertx;
        this.connectOptions = connectOptions;
        this.outbox = outbox;
        this.answerWithin = answerWithin;
        this.onContext = onContext;
        this.lost = lost;
    }

    /** The open connection, or a new one; sessions given up on are ended first. */
    Uni<PgConnection> get() {
        return open().call(this::endAbandoned);
    }

    /** True while {@code candidate} is the owner connection: the locks it granted still hold. */
    boolean isCurrent(PgConnection candidate) {
        return candidate != null && connection == candidate;
    }

    PgConnection current() {
        return connection;
    }

    /**
     * A statement on the owner connection, failed if it goes unanswered for {@code answerWithin}. A half-open
     * owner connection would hang it for ever, and its locks may already be gone. Each statement is bounded, not a
     * rebalance as a whole: taking 32 lanes one by one on a busy machine may take longer than that, and giving all
     * of them up for it would only start the same work again.
     */
    <T> Uni<T> answered(Uni<T> statement) {
        return statement
                .ifNoItem().after(answerWithin)
                .failWith(() -> new IllegalStateException("lane-owner connection does not answer"));
    }

    /** Gives the connection up (its locks with it): {@code lost} runs, then it is closed without waiting. */
    void drop() {
        PgConnection dropped = connection;
        if (dropped != null) {
            givenUp();
            dropped.close().subscribe().with(ignored -> { }, ignored -> { });
        }
    }

    /** Closes the connection on purpose, after its lanes were given back: {@code lost} does not run. */
    Uni<Void> close() {
        PgConnection closing = connection;
        connection = null;
        session = null;
        return closing == null ? Uni.createFrom().voidItem() : closing.close();
    }

    private Uni<PgConnection> open() {
        if (connection != null) {
            return Uni.createFrom().item(connection);
        }
        return PgConnection.connect(vertx, new PgConnectOptions(connectOptions)
                        .setTcpKeepAlive(true)
                        .addProperty("application_name", APPLICATION_NAME))
                .chain(opened -> answered(outbox.session(opened))
                        // Not waited for: a connection that does not answer never completes its close.
                        .onFailure().invoke(() -> opened.close().subscribe().with(ignored -> { }, ignored -> { }))
                        .emitOn(onContext)
                        .map(openedSession -> {
                            connection = opened;
                            session = openedSession;
                            opened.closeHandler(() -> {
                                if (connection == opened) {
                                    givenUp();
                                }
                            });
                            return opened;
                        }));
    }

    private void givenUp() {
        connection = null;
        if (session != null) {
            abandoned.add(session);
            session = null;
        }
        lost.run();
    }

    /**
     * Ends the sessions of the owner connections this instance gave up on. Closing a connection that stopped
     * answering ends its server session only if the close gets through; when it does not (a half-open
     * connection), that session lives on with every lane lock it held, until the server notices, which with
     * default keepalives takes hours. Meanwhile no instance, this one on its new connection included, could
     * take those lanes. A session already gone is simply forgotten.
     */
    private Uni<Void> endAbandoned(PgConnection current) {
        if (abandoned.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join().all(List.copyOf(abandoned).stream().map(session -> end(current, session)).toList())
                .andFailFast()
                .replaceWithVoid();
    }

    private Uni<Void> end(PgConnection current, Session ended) {
        return answered(outbox.end(current, ended))
                .emitOn(onContext)
                .invoke(wasOpen -> {
                    abandoned.remove(ended);
                    if (wasOpen) {
                        LOG.warnf("%s: ended lane-owner session %d, given up on but still open on the server, and the lane"
                                + " locks it held", source, ended.pid());
                    }
                })
                .replaceWithVoid();
    }
}
