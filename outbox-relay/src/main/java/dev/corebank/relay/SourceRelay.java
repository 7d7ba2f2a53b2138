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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
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
 *       idempotent producer; the cursors move only after the broker acknowledged all of them. They move in
 *       memory, and are written back to the source every {@code cursor-save-interval} and before a lane is
 *       given back, off the rounds' path: a crash repeats the rows published since, never skips one.</li>
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
        this.meters = new RelayMeters(source, registry, () -> lagSeconds, () -> ownedLanes().size());
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
                meters.lastBatchSize(), meters.meanPublishMillis(), lastError, lastErrorAt);
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
            if (groupOf(lane) == group && lane.publishing() && lane.takePending()) {
                publishing.add(lane);
            }
        }
        Uni<Boolean> round = publishing.isEmpty() ? Uni.createFrom().item(false) : publishBatch(publishing)
                .ifNoItem().after(config.roundTimeout())
                .failWith(() -> new IllegalStateException("round over lanes " + ids(publishing) + " took over "
                        + config.roundTimeout() + "; given up, to be read again from their cursors"));
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

    /**
     * Reads each lane's share of a batch. True if some lane filled its share: more rows are likely waiting
     * there, so it stays pending for the next round.
     */
    private Uni<Boolean> publishBatch(List<Lane> publishing) {
        long started = System.nanoTime();
        int perLane = Math.max(1, (config.batchSize() + publishing.size() - 1) / publishing.size());
        Short[] ids = publishing.stream().map(lane -> (short) lane.id()).toArray(Short[]::new);
        Long[] after = publishing.stream().map(Lane::cursor).toArray(Long[]::new);
        return outbox.batch(ids, after, perLane)
                .chain(rows -> rows.isEmpty()
                        ? Uni.createFrom().item(false)
                        : publish(rows, started).replaceWith(() -> markFull(rows, perLane)));
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

    private Uni<Void> publish(List<OutboxRow> rows, long started) {
        Map<Integer, Long> lastSeqByLane = new TreeMap<>();
        rows.forEach(row -> lastSeqByLane.merge(row.lane(), row.seq(), Math::max));
        List<OutboxRow> allowed = rows.stream().filter(row -> topics.allows(row.topic())).toList();
        List<OutboxRow> notAllowed = rows.stream().filter(row -> !topics.allows(row.topic())).toList();
        return publisher.publish(allowed.stream().map(row -> CloudEventRecords.toRecord(source, row)).toList())
                .chain(failures -> deadLetters.unpublishable(allowed, failures))
                .call(() -> deadLetters.notAllowed(notAllowed))
                .emitOn(onContext)
                .invoke(() -> {
                    lastSeqByLane.forEach((lane, seq) -> lanes[lane].advanced(seq));
                    meters.batchPublished(rows.size(), started);
                    reachable = true;
                });
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
        if (groups[groupOf(lane)].idle()) {
            release(lane);
        }
    }

    /** Gives back the group's lanes asked for; only called while the group has no round in flight. */
    private void releaseWanted(int group) {
        for (Lane lane : lanes) {
            if (groupOf(lane) == group && lane.releaseWanted()) {
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
