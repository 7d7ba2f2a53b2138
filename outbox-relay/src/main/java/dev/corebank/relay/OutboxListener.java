package dev.corebank.relay;

import dev.corebank.outbox.OutboxLanes;
import dev.corebank.relay.source.OutboxRepository;
import dev.corebank.relay.source.RelayConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.jboss.logging.Logger;

/**
 * Wake-ups for one source: {@code LISTEN outbox} names the lane of every new row, so latency does not depend on a
 * poll interval. Each (re)subscription is followed by a poll, which covers notifications lost while reconnecting.
 * Runs on its source relay's context.
 */
final class OutboxListener {

    private static final Logger LOG = Logger.getLogger(OutboxListener.class);

    private final String source;
    private final Vertx vertx;
    private final PgConnectOptions connectOptions;
    private final OutboxRepository outbox;
    private final RelayConfig config;
    private final Executor onContext;
    private final IntConsumer laneNotified;
    private final Runnable subscribed;
    private final Consumer<Throwable> failed;

    private PgSubscriber subscriber;
    private boolean checking;
    private boolean closed;

    OutboxListener(String source, Vertx vertx, PgConnectOptions connectOptions, OutboxRepository outbox,
            RelayConfig config, Executor onContext, IntConsumer laneNotified, Runnable subscribed,
            Consumer<Throwable> failed) {
        this.source = source;
        this.vertx = vertx;
        this.connectOptions = connectOptions;
        this.outbox = outbox;
        this.config = config;
        this.onContext = onContext;
        this.laneNotified = laneNotified;
        this.subscribed = subscribed;
        this.failed = failed;
    }

    void listen() {
        subscriber = PgSubscriber.subscriber(vertx, new PgConnectOptions(connectOptions)
                        .addProperty("application_name", "corebank-outbox-relay-listen"))
                .reconnectPolicy(retries -> 1_000L);
        subscriber.channel(OutboxLanes.CHANNEL)
                .handler(this::notified)
                .subscribeHandler(subscribed::run);
        subscriber.connect().subscribe().with(
                ignored -> LOG.infof("%s: listening for outbox notifications", source),
                e -> LOG.warnf("%s: LISTEN failed (%s); polling every %s until it reconnects", source, e.getMessage(),
                        config.pollInterval()));
    }

    /**
     * A round trip on the LISTEN connection, once per rebalance. One that stopped answering without closing (a
     * half-open connection) would otherwise never be replaced: the subscriber reconnects only once its connection
     * has closed, which a close that gets no answer never completes, and until then every notification is lost,
     * each new row waiting for the poll. So a new subscriber listens on a new connection (and polls once it does);
     * the old one is closed without waiting for it.
     */
    void check() {
        PgConnection connection = subscriber == null ? null : subscriber.actualConnection();
        if (connection == null || checking || closed) {
            return;
        }
        checking = true;
        outbox.ping(connection)
                .ifNoItem().after(config.rebalanceInterval().multipliedBy(3))
                .failWith(() -> new IllegalStateException("LISTEN connection does not answer; listening on a new one"))
                .emitOn(onContext)
                .subscribe().with(
                        ignored -> checking = false,
                        e -> {
                            checking = false;
                            if (closed) {
                                return;
                            }
                            failed.accept(e);
                            PgSubscriber stale = subscriber;
                            listen();
                            stale.close().subscribe().with(ignored -> { }, ignored -> { });
                        });
    }

    Uni<Void> close() {
        closed = true;
        return subscriber == null ? Uni.createFrom().voidItem() : subscriber.close();
    }

    private void notified(String payload) {
        int lane;
        try {
            lane = Integer.parseInt(payload);
        } catch (NumberFormatException e) {
            lane = -1;
        }
        if (lane < 0 || lane >= OutboxLanes.COUNT) {
            LOG.warnf("%s: ignoring notification with payload '%s'", source, payload);
            return;
        }
        laneNotified.accept(lane);
    }
}
