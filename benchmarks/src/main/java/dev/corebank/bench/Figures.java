package dev.corebank.bench;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/** How the benchmarks read their yardstick and print their figures, the same way in each. */
final class Figures {

    private Figures() {
    }

    /** pgbench TPC-B tps of the same run, as {@code bin/bench} hands it over ({@code -Dpgbench.tps}), if it ran. */
    static Optional<Double> pgbenchTps() {
        return Optional.ofNullable(System.getProperty("pgbench.tps"))
                .filter(value -> !value.isBlank())
                .map(Double::valueOf);
    }

    static double millis(long nanos) {
        return nanos / 1e6;
    }

    /** p99 in ms of each second's latencies, "-" for a second with none. */
    static String p99BySecond(List<Histogram> bySecond) {
        return bySecond.stream()
                .map(second -> second.getTotalCount() == 0
                        ? "-"
                        : String.format("%.0f", millis(second.getValueAtPercentile(99))))
                .collect(Collectors.joining(" "));
    }

    /** e.g. {@code 3 HTTP 503, 1 TimeoutException}, or {@code none}. */
    static String counts(Map<String, Long> counts) {
        return counts.isEmpty() ? "none" : counts.entrySet().stream()
                .map(count -> String.format("%,d %s", count.getValue(), count.getKey()))
                .collect(Collectors.joining(", "));
    }
}
