package dev.corebank.transfer.transfer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Requests that asked to wait ({@code Prefer: wait}) for their transfer's outcome. Whichever replica
 * consumes the ledger's reply settles the row and, in the same transaction, NOTIFYs the settled transfer on
 * {@value #CHANNEL}; every replica LISTENs and wakes its own waiters. A waiter whose time is up reads the
 * row once more, so a notification lost while the LISTEN connection was away costs latency, not answers.
 */
@Singleton
public class OutcomeWaiters {

    /** The NOTIFY channel; the payload is the settled transfer as JSON. */
    public static final String CHANNEL = "transfer_outcomes";

    private static final Logger LOG = Logger.getLogger(OutcomeWaiters.class);

    private final Map<UUID, CompletableFuture<Transfer>> waiting = new ConcurrentHashMap<>();
    private final ObjectMapper json;
    private final Vertx vertx;
    private final Optional<String> url;
    private final String user;
    private final Optional<String> password;
    private PgSubscriber subscriber;

    public OutcomeWaiters(ObjectMapper json, Vertx vertx,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") Optional<String> url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.json = json;
        this.vertx = vertx;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    void onStart(@Observes StartupEvent start) {
        if (url.isEmpty()) {
            LOG.warn("no reactive datasource URL to LISTEN on; waiting requests see their outcome when their wait ends");
            return;
        }
        PgConnectOptions options = PgConnectOptions.fromUri(url.get())
                .setUser(user)
                .setPassword(password.orElse(""))
                .addProperty("application_name", "transfer-service-listen");
        subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 1_000L);
        subscriber.channel(CHANNEL).handler(this::notified);
        subscriber.connect().subscribe().with(
                ignored -> LOG.infof("listening for transfer outcomes on %s", CHANNEL),
                e -> LOG.warnf("LISTEN %s failed (%s); waiting requests see their outcome when their wait ends",
                        CHANNEL, e.getMessage()));
    }

    void onStop(@Observes ShutdownEvent stop) {
        if (subscriber != null) {
            subscriber.closeAndAwait();
        }
    }

    /**
     * Starts waiting for {@code transferId}'s outcome. Call before the transfer commits, so an outcome that
     * arrives before {@link #await} is not missed.
     */
    public void expect(UUID transferId) {
        waiting.computeIfAbsent(transferId, id -> new CompletableFuture<>());
    }

    /**
     * The settled transfer, or, if none came within {@code wait}, whatever {@code reread} finds then.
     * Always stops waiting for {@code transferId}, however it ends.
     */
    public Uni<Transfer> await(UUID transferId, Duration wait, Uni<Transfer> reread) {
        CompletableFuture<Transfer> outcome = waiting.computeIfAbsent(transferId, id -> new CompletableFuture<>());
        return Uni.createFrom().completionStage(outcome)
                .ifNoItem().after(wait).recoverWithUni(reread)
                .onTermination().invoke(() -> waiting.remove(transferId, outcome));
    }

    /** Stops waiting without a result (the transfer never committed). */
    public void forget(UUID transferId) {
        waiting.remove(transferId);
    }

    /** The payload announcing {@code transfer}'s outcome. */
    public String payload(Transfer transfer) {
        try {
            return json.writeValueAsString(transfer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a transfer always serializes", e);
        }
    }

    private void notified(String payload) {
        try {
            Transfer settled = json.readValue(payload, Transfer.class);
            CompletableFuture<Transfer> outcome = waiting.get(settled.id());
            if (outcome != null) {
                outcome.complete(settled);
            }
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.warnf("ignoring a %s notification that is not a transfer: %s", CHANNEL, e.getMessage());
        }
    }
}
