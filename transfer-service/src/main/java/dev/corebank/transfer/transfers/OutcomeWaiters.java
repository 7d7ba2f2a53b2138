package dev.corebank.transfer.transfers;

import dev.corebank.platform.waiting.Notifications;
import dev.corebank.platform.waiting.Waiters;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Requests that asked to wait ({@code Prefer: wait}) for their transfer's outcome. Whichever replica
 * consumes the ledger's reply settles the row; it wakes its own waiters itself once that transaction
 * committed ({@link #settled}), and for the transfers it has no waiter for it NOTIFYs the settled transfer on
 * {@value #CHANNEL} in the same transaction: every replica LISTENs and wakes its own waiters. A waiter whose
 * time is up gets nothing from here and reads the row once more, so a notification lost while the LISTEN
 * connection was away costs latency, not answers.
 *
 * <p>The payload is the transfer's id, a space, and the transfer as the API renders it: a waiter answers
 * with it as it is, and a replica with no waiter for the id reads no further than the id.
 */
@Singleton
public class OutcomeWaiters {

    /** The NOTIFY channel; the payload is {@link #payload}'s. */
    public static final String CHANNEL = "transfer_outcomes";

    private static final Logger LOG = Logger.getLogger(OutcomeWaiters.class);

    private static final int ID_LENGTH = 36;

    private final Waiters<String> waiters = new Waiters<>(CHANNEL);
    private final Notifications notifications;

    public OutcomeWaiters(Notifications notifications) {
        this.notifications = notifications;
    }

    void onStart(@Observes StartupEvent start) {
        waiters.listen(notifications, this::notified);
    }

    /**
     * Starts waiting for {@code transferId}'s outcome. Call before the transfer commits, so an outcome that
     * arrives before {@link #await} is not missed.
     */
    public void expect(UUID transferId) {
        waiters.expect(transferId);
    }

    /**
     * The settled transfer as the API renders it, or empty if no notification came within {@code wait}.
     * Always stops waiting for {@code transferId}, however it ends.
     */
    public Uni<Optional<String>> await(UUID transferId, Duration wait) {
        return waiters.await(transferId, wait);
    }

    /** Whether a request on this replica waits for {@code transferId}'s outcome. */
    public boolean awaits(UUID transferId) {
        return waiters.awaits(transferId);
    }

    /** Wakes this replica's waiter for {@code transferId}, if any, with the settled transfer as the API renders it. */
    public void settled(UUID transferId, String rendered) {
        waiters.complete(transferId, rendered);
    }

    /** Stops waiting without a result (the transfer never committed). */
    public void forget(UUID transferId) {
        waiters.forget(transferId);
    }

    /** The payload announcing that transfer {@code id} settled; {@code rendered} is the transfer as the API renders it. */
    public static String payload(UUID id, String rendered) {
        return id + " " + rendered;
    }

    private void notified(String payload) {
        Optional<UUID> id = idOf(payload);
        if (id.isEmpty()) {
            LOG.warnf("ignoring a %s notification that does not start with a transfer id and a space", CHANNEL);
            return;
        }
        if (awaits(id.get())) {
            settled(id.get(), payload.substring(ID_LENGTH + 1));
        }
    }

    private static Optional<UUID> idOf(String payload) {
        if (payload.length() <= ID_LENGTH + 1 || payload.charAt(ID_LENGTH) != ' ') {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(payload.substring(0, ID_LENGTH)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
