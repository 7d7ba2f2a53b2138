package dev.corebank.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** What a service logged during a run worth a look: its ERROR and WARN lines, counted and sampled. */
final class LogFindings {

    private static final String ERROR = "^[0-9:.]+ ERROR .*";
    private static final String WARN = "^[0-9:.]+ WARN .*";
    /** Distinct messages shown per service; a run that goes wrong tends to repeat one message thousands of times. */
    private static final int SHOWN = 3;

    private LogFindings() {
    }

    /** Counts of ERROR and WARN lines in {@code log}, then the most frequent of them (the first
     * ones among equals). */
    static String of(String service, Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        List<String> flagged = lines.stream().filter(line -> line.matches(ERROR) || line.matches(WARN)).toList();
        long errors = flagged.stream().filter(line -> line.matches(ERROR)).count();
        StringBuilder findings = new StringBuilder(String.format("%s log %s: %d ERROR, %d WARN lines",
                service, log, errors, flagged.size() - errors));
        flagged.stream()
                .map(LogFindings::withoutTime)
                .collect(Collectors.groupingBy(Function.identity(), LinkedHashMap::new, Collectors.counting()))
                .entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(SHOWN)
                .forEach(line -> findings.append(String.format("%n    %,dx %s", line.getValue(), abbreviated(line.getKey()))));
        return findings.toString();
    }

    private static String withoutTime(String line) {
        return line.substring(line.indexOf(' ') + 1);
    }

    private static String abbreviated(String line) {
        return line.length() <= 240 ? line : line.substring(0, 240) + "...";
    }
}
