package dev.corebank.platform.waiting;

import io.quarkus.runtime.ShutdownEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * This replica's LISTEN connection to its service's database ({@code <application>-listen} in
 * {@code pg_stat_activity}), opened when the first channel is listened on and reconnecting every second while
 * the database is away. A notification sent while it was away is lost: listeners must only ever gain latency
 * from one, never correctness.
 */
@Singleton
public class Notifications {

    private static final Logger LOG = Logger.getLogger(Notifications.class);

    private final Vertx vertx;
    private final Optional<String> url;
    private final String user;
    private final Optional<String> password;
    private final String applicationName;
    private PgSubscriber subscriber;

    public Notifications(Vertx vertx,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") Optional<String> url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password,
            @ConfigProperty(name = "quarkus.application.name") String applicationName) {
        this.vertx = vertx;
        this.url = url;
        this.user = user;
        this.password = password;
        this.applicationName = applicationName;
    }

    /** LISTENs on {@code channel}, handing each payload to {@code onPayload}. */
    public synchronized void listen(String channel, Consumer<String> onPayload) {
        if (url.isEmpty()) {
            LOG.warnf("no reactive datasource URL to LISTEN on %s; waiting requests see the outcome when their wait ends",
                    channel);
            return;
        }
        boolean first = subscriber == null;
        if (first) {
            PgConnectOptions options = PgConnectOptions.fromUri(url.get())
                    .setUser(user)
                    .setPassword(password.orElse(""))
                    .addProperty("application_name", applicationName + "-listen");
            subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 1_000L);
        }
        subscriber.channel(channel).handler(onPayload::accept);
        if (first) {
            subscriber.connect().subscribe().with(
                    ignored -> LOG.infof("listening on %s", channel),
                    e -> LOG.warnf("LISTEN %s failed (%s); waiting requests see the outcome when their wait ends",
                            channel, e.getMessage()));
        }
    }

    synchronized void onStop(@Observes ShutdownEvent stop) {
        if (subscriber != null) {
            subscriber.closeAndAwait();
        }
    }
}
