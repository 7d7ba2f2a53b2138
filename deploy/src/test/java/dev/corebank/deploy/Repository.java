package dev.corebank.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The repository the tests check, and the external commands they run (kubectl, docker-compose). */
final class Repository {

    /** The repository root: this module's parent (Surefire runs in the module and sets basedir). */
    static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();

    private Repository() {
    }

    static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a command printed on standard output, its exit code and standard error. */
    record Output(int exitCode, String stdout, String stderr) {
    }

    /**
     * Runs a command that must exist on this machine. A missing command fails the test with the way to
     * install it: these checks are the only ones the deployment files get, so they must never be skipped.
     */
    static Output run(Path workDir, List<String> command, String installHint) {
        List<String> cmd = new ArrayList<>(command);
        try {
            Process process = new ProcessBuilder(cmd).directory(workDir.toFile()).start();
            process.getOutputStream().close();
            // Read both streams on their own threads: a full pipe would block the command.
            var out = readAsync(process.getInputStream());
            var err = readAsync(process.getErrorStream());
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " did not finish within 120 s");
            }
            return new Output(process.exitValue(), out.get(), err.get());
        } catch (IOException e) {
            throw new AssertionError("cannot run '" + cmd.get(0) + "' (" + e.getMessage() + "). " + installHint, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    private static java.util.concurrent.CompletableFuture<String> readAsync(java.io.InputStream in) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Copies a folder tree (for tests that break a copy of the manifests, never the real ones). */
    static void copyTree(Path from, Path to) {
        try (var paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
