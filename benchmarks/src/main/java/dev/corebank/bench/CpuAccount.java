package dev.corebank.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where the machine's cores went during a benchmark step, from Linux's {@code /proc}: the CPU time of each
 * process under test, of the JIT compiler threads inside the JVMs among them, and of PostgreSQL, the Kafka
 * broker and Redis, so a step can say how many milliseconds of CPU one unit of work cost, and in which process.
 * On a machine without {@code /proc} every figure reads zero.
 *
 * <p>PostgreSQL's figure includes the backends that exited (they are added to the postmaster's children's
 * time); a JVM's figure includes its threads that exited.
 */
final class CpuAccount {

    /** USER_HZ: the unit of the times in {@code /proc/<pid>/stat}, 100 on every Linux architecture Java runs on. */
    private static final double MILLIS_PER_TICK = 10.0;
    private static final Path PROC = Path.of("/proc");

    /** CPU ticks per process group, the JIT compilers' share of the JVM groups, and the whole machine's. */
    record Sample(Map<String, Long> ticks, Map<String, Long> jitTicks, long machineBusy, long machineTotal) {
    }

    private final Map<String, Long> jvms = new LinkedHashMap<>();

    /** Accounts for {@code jvms} (name → pid), in this order, then the local PostgreSQL, Kafka broker and Redis. */
    @SafeVarargs
    CpuAccount(Map.Entry<String, Long>... jvms) {
        for (Map.Entry<String, Long> jvm : jvms) {
            this.jvms.put(jvm.getKey(), jvm.getValue());
        }
    }

    Sample sample() {
        Map<String, Long> ticks = new LinkedHashMap<>();
        Map<String, Long> jit = new LinkedHashMap<>();
        jvms.forEach((name, pid) -> {
            ticks.put(name, stat(PROC.resolve(Long.toString(pid))).map(Stat::own).orElse(0L));
            jit.put(name, compilerTicks(pid));
        });
        long postgres = 0;
        long kafka = 0;
        long redis = 0;
        for (Path process : processes()) {
            Optional<Stat> stat = stat(process);
            if (stat.isEmpty()) {
                continue;
            }
            String comm = stat.get().comm();
            if (comm.equals("postgres")) {
                postgres += stat.get().own() + stat.get().children();
            } else if (comm.equals("redis-server")) {
                redis += stat.get().own();
            } else if (comm.equals("java") && commandLine(process).contains("kafka.Kafka")) {
                kafka += stat.get().own();
            }
        }
        ticks.put("postgres", postgres);
        ticks.put("kafka", kafka);
        ticks.put("redis", redis);
        long[] machine = machine();
        return new Sample(ticks, jit, machine[0], machine[1]);
    }

    /**
     * One line: CPU milliseconds per unit of work between two samples, per group (with the JIT's part of each
     * JVM), the rest of the machine, and how busy its cores were.
     */
    static String perUnit(Sample before, Sample after, long units, String unit) {
        if (units == 0 || after.machineTotal() == before.machineTotal()) {
            return "no " + unit + " to divide CPU time by";
        }
        List<String> parts = new ArrayList<>();
        long accounted = 0;
        for (Map.Entry<String, Long> group : after.ticks().entrySet()) {
            long used = group.getValue() - before.ticks().getOrDefault(group.getKey(), 0L);
            accounted += used;
            long jit = after.jitTicks().getOrDefault(group.getKey(), 0L) - before.jitTicks().getOrDefault(group.getKey(), 0L);
            parts.add(String.format("%s %.2f%s", group.getKey(), millis(used, units),
                    after.jitTicks().containsKey(group.getKey()) ? String.format(" (JIT %.2f)", millis(jit, units)) : ""));
        }
        long busy = after.machineBusy() - before.machineBusy();
        long total = after.machineTotal() - before.machineTotal();
        int cores = Runtime.getRuntime().availableProcessors();
        return String.format("CPU ms per %s: %s; everything else %.2f; total %.2f; cores %.0f%% busy (%d cores)",
                unit, String.join(", ", parts), millis(Math.max(0, busy - accounted), units), millis(busy, units),
                100.0 * busy / total, cores);
    }

    /**
     * The JIT compilers' share of the CPU time {@code jvms} used between two samples: near zero once their code
     * is compiled, so a warm-up can go on until it is. Zero when they used none.
     */
    static double jitShare(Sample before, Sample after, List<String> jvms) {
        long used = 0;
        long jit = 0;
        for (String jvm : jvms) {
            used += after.ticks().getOrDefault(jvm, 0L) - before.ticks().getOrDefault(jvm, 0L);
            jit += after.jitTicks().getOrDefault(jvm, 0L) - before.jitTicks().getOrDefault(jvm, 0L);
        }
        return used == 0 ? 0 : (double) jit / used;
    }

    private static double millis(long ticks, long units) {
        return ticks * MILLIS_PER_TICK / units;
    }

    // ---------------------------------------------------------------------------------------------------
    // /proc

    /** A process's name and times, in ticks: its own (user + system) and its waited-for children's. */
    private record Stat(String comm, long own, long children) {
    }

    private static Optional<Stat> stat(Path process) {
        try {
            String line = Files.readString(process.resolve("stat"));
            // The name is in parentheses and may hold spaces or parentheses itself: the fields follow the last ')'.
            int open = line.indexOf('(');
            int close = line.lastIndexOf(')');
            String[] fields = line.substring(close + 2).split(" ");
            // fields[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17.
            return Optional.of(new Stat(line.substring(open + 1, close),
                    Long.parseLong(fields[11]) + Long.parseLong(fields[12]),
                    Long.parseLong(fields[13]) + Long.parseLong(fields[14])));
        } catch (IOException | RuntimeException gone) {
            return Optional.empty();
        }
    }

    /** The JIT compiler threads' time in a JVM: HotSpot names them "C1 CompilerThread<n>" and "C2 ...". */
    private static long compilerTicks(long pid) {
        try (Stream<Path> threads = Files.list(PROC.resolve(Long.toString(pid)).resolve("task"))) {
            return threads.map(CpuAccount::stat)
                    .flatMap(Optional::stream)
                    .filter(thread -> thread.comm().startsWith("C1 CompilerThre") || thread.comm().startsWith("C2 CompilerThre"))
                    .mapToLong(Stat::own)
                    .sum();
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    private static List<Path> processes() {
        try (Stream<Path> entries = Files.list(PROC)) {
            return entries.filter(entry -> entry.getFileName().toString().chars().allMatch(Character::isDigit))
                    .collect(Collectors.toList());
        } catch (IOException | RuntimeException none) {
            return List.of();
        }
    }

    private static String commandLine(Path process) {
        try {
            return new String(Files.readAllBytes(process.resolve("cmdline"))).replace('\0', ' ');
        } catch (IOException | RuntimeException gone) {
            return "";
        }
    }

    /** Busy and total ticks of all cores, from the first line of /proc/stat; idle and iowait are not busy. */
    private static long[] machine() {
        try (Stream<String> lines = Files.lines(PROC.resolve("stat"))) {
            String[] cpu = lines.findFirst().orElse("cpu").trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < cpu.length && i <= 8; i++) {
                total += Long.parseLong(cpu[i]);
            }
            long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException none) {
            return new long[] {0, 0};
        }
    }
}
