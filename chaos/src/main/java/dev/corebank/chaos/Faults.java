package dev.corebank.chaos;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code bin/chaos fault <scenario> begin|end <seconds>}: the shell knows how to pause Redis, stop PostgreSQL
 * or kill a process of the stack and how to bring each back, the same commands an operator would type. Their
 * output goes to the run's fault log.
 */
final class Faults {

    private final Path script;
    private final Path log;

    Faults(Path script, Path log) {
        this.script = script;
        this.log = log;
    }

    /** Injects {@code scenario}'s fault; false (said in the log) if the command failed. */
    boolean begin(Scenario scenario) throws InterruptedException {
        return run(List.of(script.toString(), "fault", scenario.name(), "begin", Integer.toString(scenario.outageSeconds())), 60);
    }

    /** Undoes {@code scenario}'s fault (restarts what it stopped); false if the command failed. */
    boolean end(Scenario scenario) throws InterruptedException {
        return run(List.of(script.toString(), "fault", scenario.name(), "end", Integer.toString(scenario.outageSeconds())), 300);
    }

    /** Runs {@code bin/stack up} through the script: every process of the stack started and ready. */
    boolean stackUp() throws InterruptedException {
        return run(List.of(script.toString(), "fault", "stack", "up", "0"), 300);
    }

    private boolean run(List<String> command, int timeoutSeconds) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                System.err.println("  " + String.join(" ", command) + " did not end within " + timeoutSeconds + " s (log: " + log + ")");
                return false;
            }
            if (process.exitValue() != 0) {
                System.err.println("  " + String.join(" ", command) + " failed with exit code " + process.exitValue() + " (log: " + log + ")");
                return false;
            }
            return true;
        } catch (IOException e) {
            System.err.println("  cannot run " + command + ": " + e);
            return false;
        }
    }
}
