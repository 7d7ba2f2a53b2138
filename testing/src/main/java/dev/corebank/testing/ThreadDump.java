package dev.corebank.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The stacks of this JVM's threads whose names start with one of the given prefixes, each with the CPU time it
 * has used: what a test prints when something it waits for stops moving, so the report shows whether its own
 * event loops were blocked, spinning or idle. {@link #sampled} takes several dumps a little apart, since one
 * stack alone cannot tell a thread stuck in a call from one passing through it.
 */
public final class ThreadDump {

    private static final int FRAMES = 60;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ThreadDump() {
    }

    public static String of(String... namePrefixes) {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(thread -> Arrays.stream(namePrefixes).anyMatch(thread.getKey().getName()::startsWith))
                .sorted(Comparator.comparing(thread -> thread.getKey().getName()))
                .map(ThreadDump::describe)
                .collect(Collectors.joining("\n", "--- thread dump ---\n", "--- end of thread dump ---"));
    }

    /** {@code samples} dumps {@code apartMillis} apart. */
    public static String sampled(int samples, long apartMillis, String... namePrefixes) {
        StringBuilder dumps = new StringBuilder();
        for (int i = 0; i < samples; i++) {
            if (i > 0) {
                try {
                    TimeUnit.MILLISECONDS.sleep(apartMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            dumps.append("sample ").append(i + 1).append(" of ").append(samples).append('\n')
                    .append(of(namePrefixes)).append('\n');
        }
        return dumps.toString();
    }

    private static String describe(Map.Entry<Thread, StackTraceElement[]> thread) {
        long cpuNanos = THREADS.isThreadCpuTimeSupported() ? THREADS.getThreadCpuTime(thread.getKey().getId()) : -1;
        return Arrays.stream(thread.getValue())
                .limit(FRAMES)
                .map(frame -> "    at " + frame)
                .collect(Collectors.joining("\n", "\"" + thread.getKey().getName() + "\" " + thread.getKey().getState()
                        + " cpu=" + TimeUnit.NANOSECONDS.toMillis(cpuNanos) + "ms\n", "\n"));
    }
}
