package dev.corebank.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a service's own configuration says about how it must be deployed, read from its
 * application.properties and its config mapping defaults: HTTP port, health and metrics paths, the
 * environment variables it reads, the topics and consumer groups of its channels.
 */
record ServiceConfig(
        String name,
        int httpPort,
        String livenessPath,
        String readinessPath,
        String metricsPath,
        Set<String> environmentVariables,
        Map<String, Channel> incoming,
        Map<String, Channel> outgoing,
        Duration shutdownTimeout,
        Duration longestWait,
        Map<String, String> properties,
        Map<String, String> topicDefaults) {

    /** The four deployable services, by module name. */
    static final List<String> NAMES = List.of("account-service", "transfer-service", "order-saga-service", "outbox-relay");

    /** A Kafka channel: its topic (resolved) and, for an incoming one, its consumer group. */
    record Channel(String topic, String groupId) {
    }

    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(:?)");
    private static final Pattern CHANNEL = Pattern.compile("mp\\.messaging\\.(incoming|outgoing)\\.([a-z0-9-]+)\\.topic");
    private static final Pattern TOPIC_DEFAULT = Pattern.compile(
            "@WithDefault\\((?:dev\\.corebank\\.messages\\.)?Topics\\.([A-Z_]+)\\)\\s*String\\s+(\\w+)\\(\\)");

    static Map<String, ServiceConfig> all() {
        Map<String, ServiceConfig> services = new LinkedHashMap<>();
        for (String name : NAMES) {
            services.put(name, of(name));
        }
        return services;
    }

    static ServiceConfig of(String name) {
        Path module = Repository.ROOT.resolve(name);
        // The defaults of the modules it runs on come first, as in the service: its application.properties
        // overrides them.
        StringBuilder defaults = new StringBuilder();
        for (String base : basesOf(module)) {
            defaults.append(Repository.read(Repository.ROOT.resolve(base + "/src/main/resources/META-INF/microprofile-config.properties")))
                    .append('\n');
        }
        String text = defaults + Repository.read(module.resolve("src/main/resources/application.properties"));
        Map<String, String> props = properties(text);

        Set<String> env = new TreeSet<>();
        Matcher m = ENV_REFERENCE.matcher(text);
        while (m.find()) {
            env.add(m.group(1));
        }

        Map<String, String> topicDefaults = topicDefaults(module);
        Map<String, Channel> incoming = new TreeMap<>();
        Map<String, Channel> outgoing = new TreeMap<>();
        for (var entry : props.entrySet()) {
            Matcher channel = CHANNEL.matcher(entry.getKey());
            if (channel.matches()) {
                String prefix = "mp.messaging." + channel.group(1) + "." + channel.group(2) + ".";
                Channel c = new Channel(resolve(entry.getValue(), props, topicDefaults, Map.of()),
                        props.get(prefix + "group.id"));
                (channel.group(1).equals("incoming") ? incoming : outgoing).put(channel.group(2), c);
            }
        }

        String root = "/" + props.getOrDefault("quarkus.http.non-application-root-path", "q").replaceAll("^/|/$", "");
        String health = root + "/" + props.getOrDefault("quarkus.smallrye-health.root-path", "health");
        Duration longestWait = props.entrySet().stream()
                .filter(e -> e.getKey().matches("corebank\\.[a-z-]+\\.max-wait"))
                .map(e -> duration(e.getValue()))
                .max(Duration::compareTo)
                .orElse(Duration.ZERO);
        return new ServiceConfig(name,
                Integer.parseInt(props.get("quarkus.http.port")),
                health + "/" + props.getOrDefault("quarkus.smallrye-health.liveness-path", "live"),
                health + "/" + props.getOrDefault("quarkus.smallrye-health.readiness-path", "ready"),
                props.getOrDefault("quarkus.micrometer.export.prometheus.path", root + "/metrics"),
                env, incoming, outgoing,
                duration(props.getOrDefault("quarkus.shutdown.timeout", "0s")),
                longestWait, props, topicDefaults);
    }

    /**
     * The modules whose {@code META-INF/microprofile-config.properties} the service's jar carries, by its pom:
     * service-base always, with platform's database defaults only where the service depends on platform.
     */
    private static List<String> basesOf(Path module) {
        String pom = Repository.read(module.resolve("pom.xml"));
        return pom.contains("<artifactId>corebank-platform</artifactId>")
                ? List.of("service-base", "platform")
                : List.of("service-base");
    }

    /** Whether the service reads this environment variable (see the class comment of DeploymentChecks). */
    boolean reads(String variable) {
        return environmentVariables.contains(variable) || KafkaSettings.isKafkaClientVariable(variable);
    }

    /** Every topic the service consumes or produces to directly (not through the outbox). */
    Set<String> channelTopics() {
        Set<String> topics = new TreeSet<>();
        incoming.values().forEach(c -> topics.add(c.topic()));
        outgoing.values().forEach(c -> topics.add(c.topic()));
        return topics;
    }

    Optional<String> groupOf(String incomingChannel) {
        return Optional.ofNullable(incoming.get(incomingChannel)).map(Channel::groupId);
    }

    /** Properties as the prod profile sees them: unprofiled keys, overridden by %prod ones; other profiles dropped. */
    private static Map<String, String> properties(String text) {
        Map<String, String> plain = new TreeMap<>();
        Map<String, String> prod = new TreeMap<>();
        String joined = text.replaceAll("\\\\\\n\\s*", "");
        for (String line : joined.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || !l.contains("=")) {
                continue;
            }
            String key = l.substring(0, l.indexOf('=')).strip();
            String value = l.substring(l.indexOf('=') + 1).strip();
            if (key.startsWith("%prod.")) {
                prod.put(key.substring("%prod.".length()), value);
            } else if (!key.startsWith("%")) {
                plain.put(key, value);
            }
        }
        plain.putAll(prod);
        return plain;
    }

    /** Topic names that the service's config mapping defaults to, by the property's last segment (kebab case). */
    private static Map<String, String> topicDefaults(Path module) {
        Map<String, String> constants = Topics.constants();
        Map<String, String> defaults = new TreeMap<>();
        try (var files = java.nio.file.Files.walk(module.resolve("src/main/java"))) {
            for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                Matcher m = TOPIC_DEFAULT.matcher(Repository.read(file));
                while (m.find()) {
                    defaults.put(kebab(m.group(2)), constants.get(m.group(1)));
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return defaults;
    }

    /**
     * Every property as the prod profile resolves it when the service runs with these environment
     * variables: what a deployment would really make the service use.
     */
    Map<String, String> effective(Map<String, String> env) {
        Map<String, String> resolved = new TreeMap<>();
        properties.forEach((key, value) -> resolved.put(key, resolve(value, properties, topicDefaults, env)));
        return resolved;
    }

    /** Expands ${name} and ${name:default} (nested too) as SmallRye Config does, environment first. */
    private static String resolve(String value, Map<String, String> props, Map<String, String> topicDefaults,
            Map<String, String> env) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            int start = value.indexOf("${", i);
            if (start < 0) {
                out.append(value, i, value.length());
                break;
            }
            out.append(value, i, start);
            int depth = 0;
            int end = start;
            int colon = -1;
            for (int k = start; k < value.length(); k++) {
                if (value.startsWith("${", k)) {
                    depth++;
                    k++;
                } else if (value.charAt(k) == '}' && --depth == 0) {
                    end = k;
                    break;
                } else if (value.charAt(k) == ':' && depth == 1 && colon < 0) {
                    colon = k;
                }
            }
            String name = value.substring(start + 2, colon < 0 ? end : colon);
            String fallback = colon < 0 ? null : value.substring(colon + 1, end);
            String found = env.get(name);
            if (found == null && props.containsKey(name)) {
                found = resolve(props.get(name), props, topicDefaults, env);
            }
            if (found == null && name.startsWith("corebank.")) {
                found = topicDefaults.get(name.substring(name.lastIndexOf('.') + 1));
            }
            if (found == null && fallback != null) {
                found = resolve(fallback, props, topicDefaults, env);
            }
            if (found == null) {
                throw new IllegalStateException("cannot resolve ${" + name + "} in " + value);
            }
            out.append(found);
            i = end + 1;
        }
        return out.toString();
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    static Duration duration(String value) {
        String v = value.strip();
        if (v.startsWith("P") || v.startsWith("p")) {
            return Duration.parse(v);
        }
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h)").matcher(v);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: " + value);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}
