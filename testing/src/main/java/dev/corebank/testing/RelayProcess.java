package dev.corebank.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged relay (target/quarkus-app) as a real process of its own, which a test can kill -9. */
public final class RelayProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final int port;
    private final Process process;

    private RelayProcess(String name, int port, Process process) {
        this.name = name;
        this.port = port;
        this.process = process;
    }

    /**
     * Starts a relay draining the one {@code sourceDatabase}, logging to {@code log}, and waits until it
     * reports ready. The jar is the system property {@code relay.jar}, else the relay module's package.
     */
    public static RelayProcess start(String name, LocalStack stack, String sourceName, String sourceDatabase, Path log)
            throws Exception {
        return start(name, stack, Map.of(sourceName, stack.reactiveUrl(sourceDatabase)), log);
    }

    /** Starts a relay draining every source in {@code sources} (name to reactive URL), as {@link #start} does. */
    public static RelayProcess start(String name, LocalStack stack, Map<String, String> sources, Path log)
            throws Exception {
        return start(name, stack, sources, List.of(), log);
    }

    /** As above, with {@code settings} of its own (each a {@code -Dname=value}) after the ones every relay takes. */
    public static RelayProcess start(String name, LocalStack stack, Map<String, String> sources, List<String> settings,
            Path log) throws Exception {
        int port = freePort();
        String jar = System.getProperty("relay.jar", "outbox-relay/target/quarkus-app/quarkus-run.jar");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                // Not prod: the prod profile's default sources are the stack's own databases.
                "-Dquarkus.profile=relay-it",
                "-Dquarkus.http.port=" + port,
                "-Dkafka.bootstrap.servers=" + stack.kafkaBootstrap(),
                "-Dmp.jwt.verify.publickey.location=" + Tokens.publicKeyFile(),
                "-Dcorebank.relay.poll-interval=1s",
                "-Dcorebank.relay.rebalance-interval=1s",
                // Its log is read when a test fails: the Kafka clients' INFO lines would bury the relay's own.
                "-Dquarkus.log.category.\"org.apache.kafka\".level=WARN"));
        sources.forEach((source, url) -> command.add("-Dcorebank.relay.sources." + source + ".url=" + url));
        command.addAll(settings);
        // Extra relay settings for experiments, e.g. -Drelay.opts=-Dcorebank.relay.drain-groups=2,-Dcorebank.relay.batch-size=1000.
        String extra = System.getProperty("relay.opts", "").trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("[\\s,]+")));
        }
        command.addAll(List.of("-jar", jar));
        Files.createDirectories(log.toAbsolutePath().getParent());
        // One run per log, as for the services: what it says is this run's alone.
        Files.deleteIfExists(log);
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        RelayProcess relay = new RelayProcess(name, port, process);
        // A run stopped with Ctrl-C or kill ends without its try-with-resources: take the relay along.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "relay-" + name + "-stop"));
        relay.awaitReady(Duration.ofSeconds(60), log);
        return relay;
    }

    /** The running process's id, for accounting its CPU time. */
    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no goodbye to the database or the broker. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** Where its HTTP endpoints answer, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The relay's {@code GET /relay/status} document. */
    public String status() throws IOException, InterruptedException {
        return get("/relay/status").body();
    }

    /** Lanes of {@code source} this instance publishes right now (empty if it does not answer). */
    public List<Integer> lanesOwned(String source) {
        try {
            JsonNode status = JSON.readTree(get("/relay/status").body());
            List<Integer> lanes = new ArrayList<>();
            for (JsonNode each : status.get("sources")) {
                if (source.equals(each.get("name").asText())) {
                    each.get("lanesOwned").forEach(lane -> lanes.add(lane.asInt()));
                }
            }
            return lanes;
        } catch (IOException | RuntimeException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    @Override
    public String toString() {
        return "relay " + name + " (:" + port + ")";
    }

    private void awaitReady(Duration deadline, Path log) throws Exception {
        Instant until = Instant.now().plus(deadline);
        while (Instant.now().isBefore(until)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(this + " exited during start-up; see " + log);
            }
            try {
                if (get("/q/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(this + " not ready within " + deadline + "; see " + log);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url() + path)).header("Authorization", Tokens.bearer(Tokens.STAFF))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
