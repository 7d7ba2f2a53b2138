package dev.corebank.relay.source;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Which databases the relay drains, and how it connects to them. */
@ConfigMapping(prefix = "corebank.relay")
public interface RelayConfig {

    /** Source databases by name (accounts, transfers, orders): the name is also the CloudEvents source. */
    Map<String, Source> sources();

    /**
     * The topics each source may publish to, by source name: exact names, or prefixes ending in {@code *}. A row
     * for a topic its source may not write is never published: it is described on {@link #deadLetterTopic()}
     * and counted ({@code relay_events_refused_total}), and the rows after it flow on. The relay refuses to
     * start with a source that has no entry here. The defaults (application.properties) follow who sends what:
     * accounts the ledger's events and account changes, transfers and orders their ledger commands and their
     * own events. Kafka ACLs (docs/event-backbone.md) say the same at the broker, for the relay's principal.
     */
    Map<String, List<String>> allowedTopics();

    /** The topics {@code source} may publish to. */
    default TopicPolicy topicsOf(String source) {
        List<String> allowed = allowedTopics().get(source);
        if (allowed == null || allowed.isEmpty()) {
            throw new IllegalStateException("source " + source + " may publish to no topic: set corebank.relay.allowed-topics."
                    + source);
        }
        return new TopicPolicy(source, allowed);
    }

    /** Role the relay logs in as on every source; granted access to the outbox tables only. */
    @WithDefault("outbox_relay")
    String username();

    /** Password of that role; empty where PostgreSQL trusts local connections. */
    Optional<String> password();

    /** How long the readiness check waits for a source to answer before reporting it DOWN. */
    @WithDefault("3s")
    Duration healthTimeout();

    /** Most rows read and published in one round of a drain group (split evenly over its lanes). */
    @WithDefault("2000")
    int batchSize();

    /**
     * Lanes are drained in this many groups side by side (lane mod groups), each one round at a time:
     * more groups put more rows in flight, at the price of more queries and thread hops per event. On two
     * cores one group was best for both throughput and latency (bin/bench relay; see README).
     */
    @WithDefault("1")
    int drainGroups();

    /**
     * The slow fallback: every lane this instance owns is checked this often, even without a notification
     * (a notification can be lost while the LISTEN connection reconnects).
     */
    @WithDefault("2s")
    Duration pollInterval();

    /**
     * How often the lanes' published positions are written back to their source. Publishing goes on from the
     * positions in memory; the written ones are where the next owner of a lane resumes, so a relay that dies
     * makes its successor publish again at most this much of its rows (consumers deduplicate them). A lane
     * given back is written first.
     */
    @WithDefault("100ms")
    Duration cursorSaveInterval();

    /**
     * Where a row goes that the broker will never take (larger than the producer may send, or naming a
     * topic that cannot exist): a record describing it, without its payload, so that one bad row does not
     * stop its source's whole flow. The row itself stays in the outbox until its partition is dropped.
     */
    @WithDefault("outbox.dead-letters")
    String deadLetterTopic();

    /**
     * Longest a round (its read, publishing and the broker's acknowledgements) or a cursor write may take
     * before it is given up and retried, and how long a pooled source connection may exchange nothing before
     * it is closed. A connection that stopped answering without closing, as a half-open TCP connection after
     * a database failover does, would otherwise hold its lanes' rounds for ever while this instance keeps
     * their locks. Longer than the producer's delivery timeout and metadata wait (40 s).
     */
    @WithDefault("60s")
    Duration roundTimeout();

    /**
     * A lane whose own rows the broker keeps refusing for a reason a retry may cure (a topic missing where
     * auto-creation is off, a write the ACLs refuse, too few in-sync replicas) leaves the rounds, so that it
     * holds no other lane, and is retried alone: first after this, the wait doubling with each failure.
     */
    @WithDefault("1s")
    Duration laneRetryFirst();

    /** Longest wait between two retries of a failing lane (see {@link #laneRetryFirst()}). */
    @WithDefault("15s")
    Duration laneRetryMax();

    /** How often an instance counts its peers and takes or gives back lanes to hold a fair share. */
    @WithDefault("3s")
    Duration rebalanceInterval();

    interface Source {

        /** Vert.x URL of the database, {@code postgresql://host:port/database}. */
        String url();

        /** Connections kept to this source. */
        @WithDefault("4")
        int poolSize();
    }
}
