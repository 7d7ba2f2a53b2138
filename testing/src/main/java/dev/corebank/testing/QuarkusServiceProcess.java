package dev.corebank.testing;

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

/**
 * A packaged Quarkus service (target/quarkus-app) as a process of its own, on a database of one test or
 * benchmark run and the local stack's Redis and Kafka. It can be killed and started again, on the same port,
 * to show what its clients do while it is away. Subclasses add the settings that are the service's own.
 */
public abstract class QuarkusServiceProcess implements AutoCloseable {

    /** The same heap and collector as {@code bin/stack} gives every service, so the figures describe that setup. */
    public static final List<String> JVM = List.of("-Xms320m", "-Xmx320m", "-Xmn160m", "-XX:+UseSerialGC");

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * Which service: its name in messages, its jar, and the system property through which a run adds JVM
     * options or settings to it (comma- or space-separated, e.g. {@code -Daccount.opts=-Xmx512m}).
     */
    protected record Packaged(String name, String jar, String optsProperty) {
    }

    private final String name;
    private final int port;
    private final ProcessBuilder builder;
    private final Path log;
    private volatile Process process;

    /**
     * Prepares, but does not start, {@code service} on {@code database} as {@code user}, with its own
     * {@code settings} (each a {@code -Dname=value}) after the ones every service takes, logging to {@code log}.
     */
    protected QuarkusServiceProcess(Packaged service, LocalStack stack, String database, String user,
            List<String> settings, Path log) throws IOException {
        this(service, stack, database, user, settings, log, 0);
    }

    /** As above, listening on {@code fixedPort} (0: any free one). */
    protected QuarkusServiceProcess(Packaged service, LocalStack stack, String database, String user,
            List<String> settings, Path log, int fixedPort) throws IOException {
        this.name = service.name();
        this.port = fixedPort == 0 ? freePort() : fixedPort;
        this.log = log;
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM);
        command.addAll(List.of(
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.datasource.username=" + user,
                "-Dquarkus.datasource.jdbc.url=" + stack.jdbcUrl(database),
                "-Dquarkus.datasource.reactive.url=" + stack.reactiveUrl(database),
                "-Dquarkus.redis.hosts=" + stack.redisUrl(),
                "-Dkafka.bootstrap.servers=" + stack.kafkaBootstrap(),
                "-Dmp.jwt.verify.publickey.location=" + Tokens.publicKeyFile(),
                // Its log is read when a test fails: the Kafka clients' INFO lines would bury the service's own.
                "-Dquarkus.log.category.\"org.apache.kafka\".level=WARN"));
        command.addAll(settings);
        String extra = System.getProperty(service.optsProperty(), "").trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("[\\s,]+")));
        }
        command.addAll(List.of("-jar", service.jar()));
        Files.createDirectories(log.toAbsolutePath().getParent());
        Files.deleteIfExists(log);
        this.builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // The prod profile builds its URLs from DB_* variables: point those at the run's database as well, so
        // which setting wins cannot matter.
        builder.environment().putAll(Map.of(
                "QUARKUS_DEVSERVICES_ENABLED", "false",
                "DB_HOST", stack.dbHost(),
                "DB_PORT", Integer.toString(stack.dbPort()),
                "DB_NAME", database,
                "DB_USER", user));
        // A run stopped with Ctrl-C or kill ends without its try-with-resources: take the service along.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Process running = process;
            if (running != null) {
                running.destroy();
            }
        }, name + "-stop"));
    }

    /** Starts the service again after {@link #kill9} (or for the first time), and waits until it is ready. */
    public void restart() throws Exception {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(this + " is still running");
        }
        process = builder.start();
        try {
            awaitReady(Duration.ofSeconds(120));
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /** SIGKILL: no shutdown hook, no goodbye to the database or the broker. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** The service's base URL, e.g. {@code http://127.0.0.1:40123}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", Tokens.bearer(Tokens.STAFF)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String json, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (headers.keySet().stream().noneMatch("Authorization"::equalsIgnoreCase)) {
            request.header("Authorization", Tokens.bearer(Tokens.STAFF));
        }
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public Path log() {
        return log;
    }

    /** The running process's id, for accounting its CPU time. */
    public long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    @Override
    public String toString() {
        return name + " (:" + port + (process == null ? "" : ", pid " + process.pid()) + ")";
    }

    private void awaitReady(Duration deadline) throws Exception {
        Instant until = Instant.now().plus(deadline);
        while (Instant.now().isBefore(until)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(this + " exited during start-up; see " + log);
            }
            try {
                HttpResponse<String> ready = HTTP.send(HttpRequest.newBuilder(uri("/q/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(this + " not ready within " + deadline + "; see " + log);
    }

    private URI uri(String path) {
        return URI.create(url() + path);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
