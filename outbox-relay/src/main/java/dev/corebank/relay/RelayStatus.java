package dev.corebank.relay;

import java.time.Instant;
import java.util.List;

/** What {@code GET /relay/status} shows: this instance, and per source what it publishes and how far behind. */
public record RelayStatus(String instance, List<Source> sources) {

    /**
     * @param lagSeconds age of the oldest row that no instance has published yet (0: all published)
     * @param published rows this instance published since it started
     * @param lastError the latest failure talking to the source or the broker, if any since start; kept after
     *                  recovery, so {@code lastErrorAt} tells whether it is news
     * @param failingLanes lanes whose rows the broker keeps refusing, now; each is retried alone, backing off
     */
    public record Source(String name, boolean reachable, List<Integer> lanesOwned, double lagSeconds, long published,
            int lastBatchSize, double meanPublishLatencyMs, String lastError, Instant lastErrorAt,
            List<FailingLane> failingLanes) {
    }

    /**
     * A lane the broker refused {@code failures} times in a row, the latest with {@code lastError}, the first at
     * {@code since}; its rows wait, and the next attempt comes at {@code nextAttemptAt}.
     */
    public record FailingLane(int lane, int failures, String lastError, Instant since, Instant nextAttemptAt) {
    }
}
