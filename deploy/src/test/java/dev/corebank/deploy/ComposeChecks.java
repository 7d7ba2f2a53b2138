package dev.corebank.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docker-compose.yml as `docker-compose config` validates and normalises it (offline: no engine needed),
 * checked against the services' configuration as the Kubernetes manifests are.
 */
final class ComposeChecks {

    static final String INSTALL_HINT = "docker-compose must be on the PATH to validate docker-compose.yml: "
            + "apt-get install docker-compose (Debian's package; bin/stack test installs it when it is missing).";

    private static final Pattern DB_URL = Pattern.compile("postgresql://([^:/]+):(\\d+)/\\w+");
    private static final Pattern HEALTH_TCP = Pattern.compile("/dev/tcp/[^/\\s]+/(\\d+)");
    private static final Pattern HEALTH_GET = Pattern.compile("GET (\\S+) HTTP/1");
    private static final Set<String> READY_CONDITIONS = Set.of("service_healthy", "service_completed_successfully");

    private final JsonNode compose;
    private final Map<String, ServiceConfig> services;

    private ComposeChecks(JsonNode compose, Map<String, ServiceConfig> services) {
        this.compose = compose;
        this.services = services;
    }

    /** The file validated by docker-compose; its problems if it is refused. */
    static ComposeChecks of(Path file, Map<String, ServiceConfig> services, List<String> problems) {
        var out = Repository.run(Repository.ROOT,
                List.of("docker-compose", "--project-directory", Repository.ROOT.toString(), "-f", file.toString(), "config"),
                INSTALL_HINT);
        if (out.exitCode() != 0) {
            problems.add("docker-compose config refuses " + file + ": " + out.stderr().strip());
            return null;
        }
        return new ComposeChecks(Manifests.parse(out.stdout()).get(0), services);
    }

    private JsonNode service(String name) {
        return compose.path("services").path(name);
    }

    List<String> all(Map<String, Integer> k8sPartitions) {
        List<String> problems = new ArrayList<>();
        compose.path("services").fields().forEachRemaining(e -> {
            if (e.getValue().path("restart").isMissingNode()) {
                problems.add("compose " + e.getKey() + ": no restart policy");
            }
        });
        for (ServiceConfig svc : services.values()) {
            String n = svc.name();
            JsonNode s = service(n);
            if (s.isMissingNode()) {
                problems.add("compose: no service " + n);
                continue;
            }
            Map<String, String> env = new LinkedHashMap<>();
            s.path("environment").fields().forEachRemaining(f -> env.put(f.getKey(), f.getValue().asText()));
            env.keySet().stream().filter(v -> !svc.reads(v))
                    .forEach(v -> problems.add("compose " + n + " sets " + v + ", which " + n + " does not read"));

            Map<String, String> effective = svc.effective(env);
            Set<String> hosts = new TreeSet<>();
            effective.forEach((key, value) -> {
                boolean helper = svc.properties().values().stream().anyMatch(v -> v.contains("${" + key + "}"));
                if (!helper && value.contains("127.0.0.1")) {
                    problems.add("compose " + n + ": " + key + " resolves to the local stack's " + value);
                }
                Matcher db = DB_URL.matcher(value);
                if (db.find()) {
                    hosts.add(db.group(1));
                }
            });
            if (effective.containsKey("quarkus.redis.hosts")) {
                hosts.add(URI.create(effective.get("quarkus.redis.hosts")).getHost());
            }
            if (effective.containsKey("kafka.bootstrap.servers")) {
                for (String server : effective.get("kafka.bootstrap.servers").split(",")) {
                    hosts.add(server.substring(0, server.lastIndexOf(':')));
                }
            }
            Set<String> before = startsAfter(n, problems);
            for (String host : hosts) {
                if (service(host).isMissingNode()) {
                    problems.add("compose " + n + ": connects to " + host + ", which is no service of the file");
                } else if (!before.contains(host)) {
                    problems.add("compose " + n + ": connects to " + host + " but does not depend on it being healthy");
                }
            }

            String test = String.join(" ", iterable(s.at("/healthcheck/test")));
            Matcher tcp = HEALTH_TCP.matcher(test);
            Matcher get = HEALTH_GET.matcher(test);
            if (!tcp.find() || !get.find()) {
                problems.add("compose " + n + ": no HTTP health check (GET over /dev/tcp/<host>/<port>)");
            } else if (Integer.parseInt(tcp.group(1)) != svc.httpPort()
                    || !Set.of(svc.readinessPath(), svc.livenessPath()).contains(get.group(1))) {
                problems.add("compose " + n + ": health check GET " + get.group(1) + " on port " + tcp.group(1) + " is not port "
                        + svc.httpPort() + " and " + svc.readinessPath() + " or " + svc.livenessPath());
            } else if (!test.contains(" 200 ")) {
                problems.add("compose " + n + ": health check does not require status 200");
            }
            boolean published = false;
            for (JsonNode p : s.path("ports")) {
                published |= p.asText().matches(".*:" + svc.httpPort() + "(/tcp)?");
            }
            if (!published) {
                problems.add("compose " + n + ": container port " + svc.httpPort() + " (quarkus.http.port) is not published");
            }
            long grace = s.path("stop_grace_period").isMissingNode() ? 10 : seconds(s.path("stop_grace_period").asText());
            long needed = svc.longestWait().toSeconds() + svc.shutdownTimeout().toSeconds();
            if (grace <= needed) {
                problems.add("compose " + n + ": stop_grace_period " + grace + " s must exceed " + needed + " s");
            }
            if (!s.has("build") || !s.at("/build/dockerfile").asText().equals("src/main/docker/Dockerfile.jvm")) {
                problems.add("compose " + n + ": must build from " + n + "/src/main/docker/Dockerfile.jvm");
            }
        }
        problems.addAll(topics(k8sPartitions));
        return problems;
    }

    private static List<String> iterable(JsonNode array) {
        List<String> items = new ArrayList<>();
        array.forEach(i -> items.add(i.asText()));
        return items;
    }

    /** A compose duration such as 45s or 1m30s, in whole seconds. */
    static long seconds(String duration) {
        Matcher m = Pattern.compile("(\\d+)(h|ms|m|s)").matcher(duration);
        long total = 0;
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            total += switch (m.group(2)) {
                case "h" -> n * 3600;
                case "m" -> n * 60;
                case "s" -> n;
                default -> 0;
            };
        }
        return total;
    }

    /** Every service that must be healthy (or done) before this one starts, through depends_on. */
    private Set<String> startsAfter(String name, List<String> problems) {
        Set<String> seen = new TreeSet<>();
        var todo = new ArrayDeque<>(List.of(name));
        while (!todo.isEmpty()) {
            String current = todo.pop();
            service(current).path("depends_on").fields().forEachRemaining(d -> {
                if (!READY_CONDITIONS.contains(d.getValue().path("condition").asText())) {
                    problems.add("compose " + current + ": depends_on " + d.getKey() + " without a healthy/completed condition");
                }
                if (seen.add(d.getKey())) {
                    todo.push(d.getKey());
                }
            });
        }
        return seen;
    }

    /** The one-shot kafka-topics service's TOPICS list (name:partitions:policy:retention) against the code's topics. */
    private List<String> topics(Map<String, Integer> k8sPartitions) {
        List<String> problems = new ArrayList<>();
        Map<String, Integer> created = new TreeMap<>();
        for (String spec : service("kafka-topics").at("/environment/TOPICS").asText().split("\\s+")) {
            if (!spec.isBlank()) {
                String[] parts = spec.split(":");
                created.put(parts[0], Integer.parseInt(parts[1]));
            }
        }
        Set<String> used = Topics.all(services);
        used.stream().filter(t -> !created.containsKey(t))
                .forEach(t -> problems.add("compose: topic " + t + " is used but kafka-topics does not create it"));
        created.keySet().stream().filter(t -> !used.contains(t))
                .forEach(t -> problems.add("compose: kafka-topics creates " + t + ", which no service uses"));
        created.forEach((t, p) -> {
            if (k8sPartitions.containsKey(t) && !k8sPartitions.get(t).equals(p)) {
                problems.add("compose: " + t + " has " + p + " partitions, its KafkaTopic " + k8sPartitions.get(t));
            }
        });
        if (!compose.at("/services/kafka/environment/KAFKA_AUTO_CREATE_TOPICS_ENABLE").asText().equals("false")) {
            problems.add("compose: the broker must not auto-create topics (every topic is declared)");
        }
        return problems;
    }
}
