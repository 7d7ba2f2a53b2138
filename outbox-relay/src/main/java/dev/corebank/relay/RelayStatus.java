package dev.corebank.relay;

import java.util.List;

/** What {@code GET /relay/status} shows: this instance, and per source what it publishes and how far behind. */
public record RelayStatus(String instance, List<Source> sources) {

    /**
     * @param lagSeconds age of the oldest row that no instance has published yet (0: all published)
     * @param published rows this instance published since it started
     */
    public record Source(String name, boolean reachable, List<Integer> lanesOwned, double lagSeconds, long published,
            int lastBatchSize, double meanPublishLatencyMs, String lastError) {
    }
}
