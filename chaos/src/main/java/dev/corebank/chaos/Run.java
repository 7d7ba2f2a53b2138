package dev.corebank.chaos;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What one scenario did, on one clock: the load's origin ({@code System.nanoTime()}, and the wall time it stands
 * for), when the fault began and when it was undone (the restore command started), when the stack was seen
 * recovered (0: never), whether the fault commands worked, and every request with the load's reads.
 */
record Run(Scenario scenario, Fixture fixture, long origin, Instant wallOrigin, long faultStart, long faultEnd,
        long recoveredAt, String recoveryProblem, boolean faultInjected, boolean faultUndone, List<Request> requests,
        Map<String, Long> reads, Map<String, String> readSamples) {

    /** Seconds from the load's origin to {@code nanoTime}. */
    double second(long nanoTime) {
        return (nanoTime - origin) / 1e9;
    }

    Instant wall(long nanoTime) {
        return wallOrigin.plusNanos(nanoTime - origin);
    }

    /** Seconds from the fault's end until the stack was recovered, NaN if it never was. */
    double recoverySeconds() {
        return recoveredAt == 0 ? Double.NaN : Math.max(0, recoveredAt - faultEnd) / 1e9;
    }

    long count(Request.Outcome outcome) {
        return requests.stream().filter(request -> request.outcome == outcome).count();
    }

    long lost() {
        return requests.stream().filter(Request::lost).count();
    }

    static long nanos(long seconds) {
        return TimeUnit.SECONDS.toNanos(seconds);
    }
}
