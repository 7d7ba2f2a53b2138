package dev.corebank.relay;

import dev.corebank.outbox.OutboxLanes;
import dev.corebank.relay.lane.Lane;
import dev.corebank.relay.lane.Rounds;
import dev.corebank.relay.publish.CloudEventRecords;
import dev.corebank.relay.publish.KafkaPublisher;
import dev.corebank.relay.source.OutboxRepository;
import dev.corebank.relay.source.OutboxRow;
import dev.corebank.relay.source.RelayConfig;
import dev.corebank.relay.source.TopicPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Moves one source database's outbox to Kafka. Everything here runs on one Vert.x event-loop context, so
 * lane and round state need no locks.
 *
 * <ul>
 *   <li>Ownership: the instance holds a session advisory lock per lane it publishes, on a dedicated
 *       connection ({@link OwnerConnection}); if the instance dies, its connection and so its locks go, and peers take the lanes.
 *       Instances count each other by that connection and each keeps a fair share of the lanes.</li>
 *   <li>Wake-ups: {@link OutboxListener} names the lane of every new row, so latency does not depend on a
 *       poll interval; a slow poll covers notifications lost while reconnecting.</li>
 *   <li>Publishing: in rounds over all owned lanes, each lane's rows after its cursor, in order, to the
 *       idempotent producer; a lane's cursor moves only past rows the broker acknowledged (or that went to the
 *       dead-letter topic). They move in memory, and are written back to the source every
 *       {@code cursor-save-interval} and before a lane is given back, off the rounds' path: a crash repeats the
 *       rows published since, never skips one.</li>
 *   <li>Failing lanes: a lane whose own row the broker refused for a passing reason (a missing topic, an ACL)
 *       leaves the rounds, so that it holds no other lane, and is retried alone, from a sender thread of its
 *       own, backing off from {@code lane-retry-first} to {@code lane-retry-max}; it shows in the status and
 *       the meters until the broker takes its rows, then rejoins the rounds.</li>
 * </ul>
 */
final class SourceRelay {

    private static final Logger LOG = Logger.getLogger(SourceRelay.class);

    private final String source;
    private final Vertx vertx;
    private final PgConnectOptions connectOptions;
    private final OutboxRepository outbox;
    private final KafkaPublisher publisher;
    private final RelayConfig config;
    private final Lane[] lanes = IntStream.range(0, OutboxLanes.COUNT).mapToObj(Lane::new).toArray(Lane[]::new);
    private final Rounds[] groups;

    private final TopicPolicy topics;
    private final RelayMeters meters;
    private final DeadLetters deadLetters;

    private Context context;
    private Executor onContext;
    private OwnerConnection owner;
    private OutboxListener listener;
    private boolean stopping;
    private boolean rebalancing;
    private boolean saving;
    private final List<Long> timers = new ArrayList<>();

    private volatile double lagSeconds;
    private volatile boolean reachable;
    private volatile String lastError;
    private volatile Instant lastErrorAt;

    SourceRelay(String source, Vertx vertx, Pool pool, PgConnectOptions connectOptions, KafkaPublisher publisher,
            RelayConfig config, TopicPolicy topics, MeterRegistry registry) {
        this.source = source;
        this.topics = topics;
        this.vertx = vertx;
        this.connectOptions = connectOptions;
        this.outbox = new OutboxRepository(pool);
        this.publisher = publisher;
        this.config = config;
        this.groups = IntStream.range(0, config.drainGroups()).mapToObj(i -> new Rounds()).toArray(Rounds[]::new);
        this.meters = new RelayMeters(source, registry, () -> lagSeconds, () -> ownedLanes().size(),
                () -> (int) List.of(lanes).stream().filter(Lane::isFailing).count());
        this.deadLetters = new DeadLetters(source, config.deadLetterTopic(), topics, publisher, meters);
    }

    void start() {
        context = vertx.getDelegate().getOrCreateContext();
        onContext = task -> context.runOnContext(ignored -> task.run());
        owner = new OwnerConnection(source, vertx, connectOptions, outbox, config.rebalanceInterval().multipliedBy(3),
                onContext, this::ownerLost);
        listener = new OutboxListener(source, vertx, connectOptions, outbox, config, onContext, this::notified, this::poll,
                this::failed);
        context.runOnContext(ignored -> {
            listener.listen();
            timers.add(vertx.setPeriodic(config.rebalanceInterval().toMillis(), id -> {
                rebalance();
                listener.check();
            }));
            timers.add(vertx.setPeriodic(config.pollInterval().toMillis(), id -> poll()));
            timers.add(vertx.setPeriodic(config.cursorSaveInterval().toMillis(), id -> saveCursors()));
            rebalance();
        });
    }

    /**
     * Stops waking lanes, writes their cursors back, and closes the owner connection, which releases every
     * lane lock at once.
     */
    Uni<Void> stop() {
        if (context == null) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().voidItem()
                .emitOn(onContext)
                .invoke(() -> {
                    stopping = true;
                    timers.forEach(vertx::cancelTimer);
                })
                .chain(() -> save(owned()).onFailure().recoverWithNull())
                .invoke(() -> List.of(lanes).forEach(Lane::disown))
                .call(listener::close)
                .call(owner::close)
                .onFailure().recoverWithNull();
    }

    RelayStatus.Source status() {
        return new RelayStatus.Source(source, reachable, ownedLanes(), lagSeconds, meters.publishedTotal(),
                meters.lastBatchSize(), meters.meanPublishMillis(), lastError, lastErrorAt, failingLanes());
    }

    private List<RelayStatus.FailingLane> failingLanes() {
        List<RelayStatus.FailingLane> failing = new ArrayList<>();
        for (Lane lane : lanes) {
            lane.failing().ifPresent(state -> failing.add(new RelayStatus.FailingLane(lane.id(), state.failures(),
                    state.error(), state.since(), state.nextAttemptAt())));
        }
        return failing;
    }

    private List<Integer> ownedLanes() {
        return ids(owned());
    }

    private static List<Integer> ids(List<Lane> lanes) {
        return lanes.stream().map(Lane::id).toList();
    }

    private List<Lane> owned() {
        return List.of(lanes).stream().filter(Lane::owned).toList();
    }

    // --- wake-ups ----------------------------------------------------------------------------------------

    /** A notification named {@code id}: the lane may have rows. */
    private void notified(int id) {
        Lane lane = lanes[id];
        lane.markPending();
        if (lane.publishing()) {
            wake(groupOf(lane));
        }
    }

    private void poll() {
        List.of(lanes).forEach(Lane::markPending);
        IntStream.range(0, groups.length).forEach(this::wake);
        outbox.oldestPendingAgeSeconds().subscribe().with(
                lag -> {
                    lagSeconds = lag;
                    reachable = true;
                },
                this::failed);
    }

    // --- publishing --------------------------------------------------------------------------------------

    private int groupOf(Lane lane) {
        return lane.id() % groups.length;
    }

    private void wake(int group) {
        if (groups[group].wake()) {
            round(group);
        }
    }

    /**
     * One round over a group's pending lanes: their next rows, oldest first, to the broker, then their
     * cursors in one statement. Only lanes that may have rows are read (a notification named them, a poll
     * came, or their last share was full): each lane read costs an index probe per outbox partition, and
     * at a steady flow most lanes have nothing new between two rounds. Groups run their rounds side by side;
     * within a group, one round at a time, so a lane never has two batches in flight. Lanes being given back
     * leave between rounds, never during one.
     */
    private void round(int group) {
        releaseWanted(group);
        List<Lane> publishing = new ArrayList<>();
        for (Lane lane : lanes) {
            // A failing lane keeps its pending mark for when it rejoins; its own retries read it meanwhile.
            if (groupOf(lane) == group && lane.publishing() && !lane.isFailing() && lane.takePending()) {
                publishing.add(lane);
            }
        }
        Uni<Boolean> round = publishing.isEmpty() ? Uni.createFrom().item(false) : publishBatch(publishing, false)
                .ifNoItem().after(config.roundTimeout())
                .failWith(() -> new IllegalStateException("round over lanes " + ids(publishing) + " took over "
                        + config.roundTimeout() + "; given up, to be read again from their cursors"))
                .emitOn(onContext)
                .map(outcome -> {
                    outcome.refused().forEach((id, refusal) -> laneFailed(lanes[id], refusal));
                    // Lanes left unsent behind a refused one go again at once, now without it.
                    outcome.held().forEach(id -> lanes[id].markPending());
                    return outcome.full() || !outcome.held().isEmpty();
                });
        round.emitOn(onContext)
                .subscribe().with(
                        full -> {
                            if (groups[group].done(full)) {
                                round(group);
                            } else {
                                releaseWanted(group);
                            }
                        },
                        e -> {
                            failed(e);
                            publishing.forEach(Lane::markPending);
                            groups[group].failed();
                            releaseWanted(group);
                        });
    }

    /** What a batch did: whether some lane filled its share, and which lanes the broker refused or held. */
    private record Published(boolean full, Map<Integer, Throwable> refused, Set<Integer> held) {

        static final Published NOTHING = new Published(false, Map.of(), Set.of());
    }

    /**
     * Reads each lane's share of a batch and publishes it ({@code apart}: from the failing lanes' sender). Full
     * if some lane filled its share: more rows are likely waiting there, so it stays pending for the next round.
     */
    private Uni<Published> publishBatch(List<Lane> publishing, boolean apart) {
        long started = System.nanoTime();
        int perLane = Math.max(1, (config.batchSize() + publishing.size() - 1) / publishing.size());
        Short[] ids = publishing.stream().map(lane -> (short) lane.id()).toArray(Short[]::new);
        Long[] after = publishing.stream().map(Lane::cursor).toArray(Long[]::new);
        return outbox.batch(ids, after, perLane)
                .chain(rows -> rows.isEmpty()
                        ? Uni.createFrom().item(Published.NOTHING)
                        : publish(rows, started, apart).map(outcome -> new Published(markFull(rows, perLane),
                                outcome.refused(), outcome.held())));
    }

    /** Marks the lanes that filled their share pending again; true if there was one. Runs on the context. */
    private boolean markFull(List<OutboxRow> rows, int perLane) {
        Map<Integer, Integer> perLaneCounts = new TreeMap<>();
        rows.forEach(row -> perLaneCounts.merge(row.lane(), 1, Integer::sum));
        boolean someFull = false;
        for (Map.Entry<Integer, Integer> lane : perLaneCounts.entrySet()) {
            if (lane.getValue() >= perLane) {
                lanes[lane.getKey()].markPending();
                someFull = true;
            }
        }
        return someFull;
    }

    /**
     * Publishes the rows and moves each lane's cursor as far as the broker took them (see BatchOutcome); fails
     * as a whole only when the broker refused every lane alike, or the dead-letter topic refused a row.
     */
    private Uni<BatchOutcome> publish(List<OutboxRow> rows, long started, boolean apart) {
        List<OutboxRow> allowed = rows.stream().filter(row -> topics.allows(row.topic())).toList();
        List<ProducerRecord<String, byte[]>> records = allowed.stream()
                .map(row -> CloudEventRecords.toRecord(source, row))
                .toList();
        return (apart ? publisher.publishApart(records) : publisher.publish(records))
                .map(failures -> {
                    Map<OutboxRow, Throwable> byRow = new IdentityHashMap<>();
                    for (int i = 0; i < allowed.size(); i++) {
                        byRow.put(allowed.get(i), failures.get(i));
                    }
                    return BatchOutcome.of(rows, byRow);
                })
                .call(outcome -> outcome.brokerWide()
                        ? Uni.createFrom().failure(outcome.firstRefusal())
                        : deadLetters.unpublishable(outcome.unpublishable()))
                .call(outcome -> deadLetters.notAllowed(outcome.notAllowed()))
                .emitOn(onContext)
                .invoke(outcome -> {
                    outcome.advanced().forEach((lane, seq) -> lanes[lane].advanced(seq));
                    if (outcome.published() > 0) {
                        meters.batchPublished(outcome.published(), started);
                        reachable = true;
                    }
                });
    }

    // --- failing lanes -----------------------------------------------------------------------------------

    /** The broker refused a row of {@code lane}: it leaves the rounds, and is retried alone after a back-off. */
    private void laneFailed(Lane lane, Throwable refusal) {
        if (!lane.owned()) {
            return;
        }
        String error = refusal.getClass().getSimpleName() + ": " + refusal.getMessage();
        Duration wait = lane.failed(error, Instant.now(), config.laneRetryFirst(), config.laneRetryMax());
        meters.laneFailed(lane);
        lastError = "lane " + lane.id() + ": " + error;
        lastErrorAt = Instant.now();
        LOG.warnf("%s: lane %d cannot publish (%s); failed %d times in a row, retried alone in %s", source, lane.id(),
                error, lane.failing().map(Lane.Failing::failures).orElse(0), wait);
        vertx.setTimer(Math.max(1, wait.toMillis()), id -> retry(lane));
    }

    /** One lone attempt at a failing lane's rows; a success puts it back into the rounds. */
    private void retry(Lane lane) {
        if (stopping || !lane.publishing() || !lane.isFailing() || lane.retrying()) {
            return;
        }
        lane.retrying(true);
        publishBatch(List.of(lane), true)
                .ifNoItem().after(config.roundTimeout())
                .failWith(() -> new IllegalStateException("retry of lane " + lane.id() + " took over " + config.roundTimeout()))
                .emitOn(onContext)
                .subscribe().with(
                        published -> {
                            lane.retrying(false);
                            Optional<Throwable> refused = Optional.ofNullable(published.refused().get(lane.id()));
                            if (refused.isPresent()) {
                                laneFailed(lane, refused.get());
                            } else {
                                lane.recovered();
                                LOG.infof("%s: lane %d publishes again", source, lane.id());
                                lane.markPending();
                                if (lane.publishing()) {
                                    wake(groupOf(lane));
                                }
                            }
                            releaseIfWanted(lane);
                        },
                        e -> {
                            lane.retrying(false);
                            laneFailed(lane, e);
                            releaseIfWanted(lane);
                        });
    }

    /** After a failing lane's retry: it is in no round, so a release asked for meanwhile can go ahead. */
    private void releaseIfWanted(Lane lane) {
        if (lane.releaseWanted()) {
            release(lane);
        }
    }

    // --- cursors ---------------------------------------------------------------------------------------------

    /** Writes back the cursors of owned lanes published further than their source says; one write at a time. */
    private void saveCursors() {
        if (saving) {
            return;
        }
        saving = true;
        save(owned()).subscribe().with(ignored -> saving = false, e -> {
            saving = false;
            failed(e);
        });
    }

    /**
     * Moves the source's cursors of {@code toSave} to where this instance has published. Never back: the
     * statement keeps a cursor some newer owner moved further.
     */
    private Uni<Void> save(List<Lane> toSave) {
        List<Lane> unsaved = toSave.stream().filter(Lane::unsaved).toList();
        if (unsaved.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Short[] ids = unsaved.stream().map(lane -> (short) lane.id()).toArray(Short[]::new);
        Long[] seqs = unsaved.stream().map(Lane::cursor).toArray(Long[]::new);
        return outbox.advance(ids, seqs)
                .ifNoItem().after(config.roundTimeout())
                .failWith(() -> new IllegalStateException("writing cursors took over " + config.roundTimeout()))
                .emitOn(onContext)
                .invoke(() -> {
                    for (int i = 0; i < ids.length; i++) {
                        unsaved.get(i).saved(seqs[i]);
                    }
                });
    }

    private void failed(Throwable e) {
        lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
        lastErrorAt = Instant.now();
        LOG.warnf("%s: %s (retried on the next poll)", source, lastError);
    }

    // --- lane ownership ----------------------------------------------------------------------------------

    private void rebalance() {
        if (rebalancing) {
            return;
        }
        rebalancing = true;
        owner.get()
                .chain(connection -> owner.answered(outbox.peers(connection, OwnerConnection.APPLICATION_NAME))
                        .chain(instances -> holdFairShare(connection, instances)))
                .emitOn(onContext)
                .subscribe().with(
                        ignored -> rebalancing = false,
                        e -> {
                            rebalancing = false;
                            reachable = false;
                            failed(e);
                            owner.drop();
                        });
    }

    /**
     * The owner connection closed, or was given up on: its lane locks are gone, or go once its session is ended
     * ({@link OwnerConnection}), so peers may already be publishing those lanes.
     */
    private void ownerLost() {
        LOG.warnf("%s: lost the lane-owner connection; lanes %s go back to the pool", source, ownedLanes());
        List<Lane> lost = owned();
        for (Lane lane : lanes) {
            lane.disown();
        }
        // What was published is still worth writing back (through the pool): a cursor never moves back, so it
        // cannot undo a peer that took a lane meanwhile, and it spares that peer publishing the rows again.
        save(lost).subscribe().with(ignored -> { }, this::failed);
    }

    private Uni<Void> holdFairShare(PgConnection connection, int instances) {
        int share = Lane.fairShare(instances);
        List<Lane> owned = owned();
        if (owned.size() > share) {
            owned.subList(share, owned.size()).forEach(this::giveBack);
            return Uni.createFrom().voidItem();
        }
        return takeLanes(connection, share - owned.size());
    }

    /** Tries free lanes, from a random start so that instances do not all race for the same ones. */
    private Uni<Void> takeLanes(PgConnection connection, int wanted) {
        if (wanted <= 0) {
            return Uni.createFrom().voidItem();
        }
        int start = ThreadLocalRandom.current().nextInt(OutboxLanes.COUNT);
        List<Lane> candidates = IntStream.range(0, OutboxLanes.COUNT)
                .mapToObj(i -> lanes[(start + i) % OutboxLanes.COUNT])
                .filter(lane -> !lane.owned())
                .toList();
        return takeFrom(connection, candidates, 0, wanted);
    }

    private Uni<Void> takeFrom(PgConnection connection, List<Lane> candidates, int next, int wanted) {
        if (wanted == 0 || next >= candidates.size() || !owner.isCurrent(connection)) {
            return Uni.createFrom().voidItem();
        }
        Lane lane = candidates.get(next);
        return owner.answered(outbox.tryOwn(connection, lane.id()))
                .chain(got -> got ? take(connection, lane).replaceWith(1) : Uni.createFrom().item(0))
                .chain(taken -> takeFrom(connection, candidates, next + 1, wanted - taken));
    }

    /**
     * Starts publishing a lane whose lock was just granted. If its cursor cannot be read (the owning
     * service has not migrated its outbox yet, say), the lock goes straight back: advisory locks count,
     * and a second grant to this session would otherwise outlive the next release.
     */
    private Uni<Void> take(PgConnection connection, Lane lane) {
        return outbox.cursor(lane.id())
                .emitOn(onContext)
                .invoke(cursor -> {
                    // The lock lives only as long as the connection that granted it.
                    if (owner.isCurrent(connection)) {
                        lane.own(cursor);
                        LOG.debugf("%s: took lane %d at seq %d", source, lane.id(), cursor);
                        wake(groupOf(lane));
                    }
                })
                .replaceWithVoid()
                .onFailure().call(() -> owner.answered(outbox.release(connection, lane.id())));
    }

    private void giveBack(Lane lane) {
        lane.wantRelease();
        // A failing lane is in no round; only its own retry, if one is in flight, has to end first.
        boolean inNoRound = lane.isFailing() ? !lane.retrying() : groups[groupOf(lane)].idle();
        if (inNoRound) {
            release(lane);
        }
    }

    /** Gives back the group's lanes asked for; only called while the group has no round in flight. */
    private void releaseWanted(int group) {
        for (Lane lane : lanes) {
            if (groupOf(lane) == group && lane.releaseWanted() && !lane.retrying()) {
                release(lane);
            }
        }
    }

    /**
     * Gives a lane's lock back, its cursor written first so that the next owner resumes where this one stopped
     * (if that write fails, the next owner publishes some rows again). If the unlock does not happen, the
     * session state is unknown, so the whole owner connection goes (and every lock with it) rather than leave a
     * lane held that nobody publishes.
     */
    private void release(Lane lane) {
        lane.disown();
        PgConnection connection = owner.current();
        if (connection == null) {
            return;
        }
        save(List.of(lane))
                .onFailure().invoke(this::failed)
                .onFailure().recoverWithNull()
                .chain(() -> owner.answered(outbox.release(connection, lane.id())))
                .emitOn(onContext)
                .subscribe().with(
                        released -> {
                            if (released) {
                                LOG.debugf("%s: gave lane %d back", source, lane.id());
                            } else {
                                LOG.warnf("%s: lane %d was not held on release; resetting the owner connection",
                                        source, lane.id());
                                owner.drop();
                            }
                        },
                        e -> {
                            failed(e);
                            owner.drop();
                        });
    }
}
