package dev.corebank.testing;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The stacks of this JVM's threads whose names start with one of the given prefixes: what a test prints when
 * something it waits for stops moving, so the report shows whether its own event loops were blocked or idle.
 */
public final class ThreadDump {

    private static final int FRAMES = 25;

    private ThreadDump() {
    }

    public static String of(String... namePrefixes) {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(thread -> Arrays.stream(namePrefixes).anyMatch(thread.getKey().getName()::startsWith))
                .sorted(Comparator.comparing(thread -> thread.getKey().getName()))
                .map(ThreadDump::describe)
                .collect(Collectors.joining("\n", "--- thread dump ---\n", "--- end of thread dump ---"));
    }

    private static String describe(Map.Entry<Thread, StackTraceElement[]> thread) {
        return Arrays.stream(thread.getValue())
                .limit(FRAMES)
                .map(frame -> "    at " + frame)
                .collect(Collectors.joining("\n",
                        "\"" + thread.getKey().getName() + "\" " + thread.getKey().getState() + "\n", "\n"));
    }
}
