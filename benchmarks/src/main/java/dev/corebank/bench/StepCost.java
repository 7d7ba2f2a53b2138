package dev.corebank.bench;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * What a stretch of offered load cost: CPU milliseconds per unit of work by process ({@link CpuAccount}) and the
 * pipeline stages' batch sizes ({@link StageBatches}) over it.
 */
final class StepCost {

    /** A stretch of load to measure. */
    @FunctionalInterface
    interface Stretch<R> {
        R run() throws Exception;
    }

    /** A stretch's result and what it cost. */
    record Measured<R>(R result, CpuAccount.Sample before, CpuAccount.Sample after, String cpu, String batches) {

        /** The two lines of cost, indented under the result's own. */
        void print() {
            System.out.println("    " + cpu);
            System.out.println("    " + batches);
        }

        /** The JIT compilers' share of {@code jvms}' CPU over the stretch. */
        double jitShare(List<String> jvms) {
            return CpuAccount.jitShare(before, after, jvms);
        }
    }

    private final CpuAccount cpu;
    private final StageBatches batches;
    private final String unit;

    /** Costs per {@code unit} of work, e.g. "completed transfer". */
    StepCost(CpuAccount cpu, StageBatches batches, String unit) {
        this.cpu = cpu;
        this.batches = batches;
        this.unit = unit;
    }

    /** Runs {@code stretch}; {@code units} says how much work its result counts. */
    <R> Measured<R> measure(Stretch<R> stretch, ToLongFunction<R> units) throws Exception {
        CpuAccount.Sample before = cpu.sample();
        StageBatches.Sample batchesBefore = batches.sample();
        R result = stretch.run();
        CpuAccount.Sample after = cpu.sample();
        String batchSizes = batches.between(batchesBefore, batches.sample());
        return new Measured<>(result, before, after, CpuAccount.perUnit(before, after, units.applyAsLong(result), unit),
                batchSizes);
    }
}
