package dev.corebank.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
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
 * Consistency of a rendered overlay with itself and with the services' own configuration. Each check returns
 * the problems it found, one line each, so a test can show them all at once and a test of a broken copy
 * can look for the one it broke.
 *
 * <p>"A variable the service reads" is one its application.properties names in a ${VAR...} expression, or
 * a KAFKA_* variable naming a Kafka client setting (see {@link KafkaSettings}).
 */
final class DeploymentChecks {

    private static final Pattern DB_URL = Pattern.compile("postgresql://([^:/]+):(\\d+)/\\w+");
    private static final String SECRET = "<from a Secret>";

    private final Manifests m;
    private final Map<String, ServiceConfig> services;

    DeploymentChecks(Manifests manifests, Map<String, ServiceConfig> services) {
        this.m = manifests;
        this.services = services;
    }

    List<String> all() {
        List<String> problems = new ArrayList<>();
        problems.addAll(schemas());
        problems.addAll(selectors());
        problems.addAll(httpAndProbes());
        problems.addAll(environment());
        problems.addAll(noSecretValues());
        problems.addAll(topics());
        problems.addAll(acls());
        problems.addAll(networkFlows());
        problems.addAll(databaseLogins());
        problems.addAll(kafkaClientSecurity());
        return problems;
    }

    List<String> schemas() {
        return m.objects().stream().flatMap(o -> Schemas.problems(o).stream()).toList();
    }

    // ---------------------------------------------------------------------------------------------------
    // Selectors

    List<String> selectors() {
        List<String> problems = new ArrayList<>();
        m.ofKind("Deployment").forEach(d -> {
            if (!matches(d.at("/spec/selector"), d.at("/spec/template/metadata/labels"))) {
                problems.add("Deployment " + Manifests.name(d) + ": spec.selector does not match its pod template's labels");
            }
        });
        m.ofKind("Service").forEach(s -> {
            JsonNode selector = s.at("/spec/selector");
            if (selector.isMissingNode() || selector.isEmpty()) {
                problems.add("Service " + Manifests.name(s) + ": no selector");
            } else if (podsMatching(selector, true).isEmpty()) {
                problems.add("Service " + Manifests.name(s) + ": selector " + selector + " matches no Deployment's pods");
            }
        });
        m.ofKind("PodDisruptionBudget").forEach(p -> {
            if (podsMatching(p.at("/spec/selector"), false).size() != 1) {
                problems.add("PodDisruptionBudget " + Manifests.name(p) + ": selector must match exactly one Deployment's pods");
            }
        });
        m.ofKind("HorizontalPodAutoscaler").forEach(h -> {
            JsonNode ref = h.at("/spec/scaleTargetRef");
            if (!ref.path("kind").asText().equals("Deployment") || m.find("Deployment", ref.path("name").asText()).isEmpty()) {
                problems.add("HorizontalPodAutoscaler " + Manifests.name(h) + ": scales " + ref + ", which is not rendered");
            }
        });
        m.ofKind("NetworkPolicy").forEach(n -> {
            if (podLabelsOfAnything().stream().noneMatch(labels -> matches(n.at("/spec/podSelector"), labels))) {
                problems.add("NetworkPolicy " + Manifests.name(n) + ": podSelector matches no pod of this overlay");
            }
        });
        for (String kind : List.of("KafkaNodePool", "KafkaTopic", "KafkaUser")) {
            m.ofKind(kind).forEach(o -> {
                String cluster = o.at("/metadata/labels/strimzi.io~1cluster").asText();
                if (m.find("Kafka", cluster).isEmpty()) {
                    problems.add(kind + " " + Manifests.name(o) + ": label strimzi.io/cluster=" + cluster + " names no Kafka");
                }
            });
        }
        return problems;
    }

    /** Labels of every pod the overlay makes: Deployments' templates, CloudNativePG instances, Kafka brokers. */
    private List<JsonNode> podLabelsOfAnything() {
        List<JsonNode> labels = new ArrayList<>();
        m.ofKind("Deployment").forEach(d -> labels.add(d.at("/spec/template/metadata/labels")));
        m.ofKind("Cluster").forEach(c -> labels.add(Manifests.YAML.createObjectNode().put("cnpg.io/cluster", Manifests.name(c))));
        m.ofKind("Kafka").forEach(k -> labels.add(kafkaPodLabels(Manifests.name(k))));
        return labels;
    }

    private static JsonNode kafkaPodLabels(String cluster) {
        return Manifests.YAML.createObjectNode().put("strimzi.io/cluster", cluster).put("strimzi.io/kind", "Kafka");
    }

    private List<JsonNode> podsMatching(JsonNode selector, boolean plainMap) {
        List<JsonNode> found = new ArrayList<>();
        m.ofKind("Deployment").forEach(d -> {
            JsonNode labels = d.at("/spec/template/metadata/labels");
            if (plainMap ? mapMatches(selector, labels) : matches(selector, labels)) {
                found.add(d);
            }
        });
        return found;
    }

    /** A LabelSelector (matchLabels and matchExpressions) against a label map. */
    static boolean matches(JsonNode selector, JsonNode labels) {
        if (selector.isMissingNode() || selector.isNull()) {
            return false;
        }
        if (!mapMatches(selector.path("matchLabels"), labels)) {
            return false;
        }
        for (JsonNode e : selector.path("matchExpressions")) {
            String key = e.path("key").asText();
            Set<String> values = new TreeSet<>();
            e.path("values").forEach(v -> values.add(v.asText()));
            boolean has = labels.has(key);
            boolean ok = switch (e.path("operator").asText()) {
                case "In" -> has && values.contains(labels.get(key).asText());
                case "NotIn" -> !has || !values.contains(labels.get(key).asText());
                case "Exists" -> has;
                case "DoesNotExist" -> !has;
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean mapMatches(JsonNode selector, JsonNode labels) {
        var fields = selector.fields();
        while (fields.hasNext()) {
            var f = fields.next();
            if (!f.getValue().asText().equals(labels.path(f.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------------------
    // HTTP port, probes, metrics, shutdown, security, scaling

    List<String> httpAndProbes() {
        List<String> problems = new ArrayList<>();
        for (ServiceConfig svc : services.values()) {
            String n = svc.name();
            Optional<JsonNode> deployment = m.find("Deployment", n);
            if (deployment.isEmpty()) {
                problems.add("no Deployment " + n);
                continue;
            }
            JsonNode d = deployment.get();
            JsonNode pod = d.at("/spec/template/spec");
            JsonNode container = container(d, n);
            if (container == null) {
                problems.add("Deployment " + n + ": no container named " + n);
                continue;
            }
            Map<String, Integer> ports = new HashMap<>();
            container.path("ports").forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
            if (!ports.containsValue(svc.httpPort())) {
                problems.add("Deployment " + n + ": no containerPort " + svc.httpPort() + " (quarkus.http.port), has " + ports.values());
            }
            probe(problems, n, "livenessProbe", container, ports, svc, Set.of(svc.livenessPath()));
            probe(problems, n, "readinessProbe", container, ports, svc, Set.of(svc.readinessPath()));
            if (container.has("startupProbe")) {
                probe(problems, n, "startupProbe", container, ports, svc, Set.of(svc.livenessPath(), svc.readinessPath()));
            }

            m.find("Service", n).ifPresentOrElse(s -> s.at("/spec/ports").forEach(p -> {
                JsonNode target = p.path("targetPort");
                int port = target.isInt() ? target.asInt() : ports.getOrDefault(target.asText(), -1);
                if (port != svc.httpPort()) {
                    problems.add("Service " + n + ": targetPort " + target + " is not the HTTP port " + svc.httpPort());
                }
            }), () -> problems.add("no Service " + n));

            JsonNode annotations = d.at("/spec/template/metadata/annotations");
            if (!annotations.path("prometheus.io/scrape").asText().equals("true")
                    || !annotations.path("prometheus.io/port").asText().equals(String.valueOf(svc.httpPort()))
                    || !annotations.path("prometheus.io/path").asText().equals(svc.metricsPath())) {
                problems.add("Deployment " + n + ": Prometheus annotations must scrape port " + svc.httpPort() + " path "
                        + svc.metricsPath() + ", have " + annotations);
            }

            long preStop = 0;
            JsonNode command = container.at("/lifecycle/preStop/exec/command");
            if (command.size() == 2 && command.get(0).asText().equals("sleep")) {
                preStop = Long.parseLong(command.get(1).asText());
            }
            long needed = svc.longestWait().toSeconds() + svc.shutdownTimeout().toSeconds() + preStop;
            long grace = pod.path("terminationGracePeriodSeconds").asLong(30);
            if (grace <= needed) {
                problems.add("Deployment " + n + ": terminationGracePeriodSeconds " + grace + " must exceed the longest wait ("
                        + svc.longestWait().toSeconds() + " s) + quarkus.shutdown.timeout (" + svc.shutdownTimeout().toSeconds()
                        + " s) + preStop (" + preStop + " s)");
            }

            boolean nonRoot = pod.at("/securityContext/runAsNonRoot").asBoolean(false)
                    || container.at("/securityContext/runAsNonRoot").asBoolean(false);
            if (!nonRoot || pod.at("/securityContext/runAsUser").asInt(-1) == 0
                    || container.at("/securityContext/runAsUser").asInt(-1) == 0) {
                problems.add("Deployment " + n + ": must run as non-root (runAsNonRoot: true, runAsUser not 0)");
            }
            if (container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)) {
                problems.add("Deployment " + n + ": allowPrivilegeEscalation must be false");
            }
            for (String kind : List.of("requests", "limits")) {
                for (String resource : List.of("cpu", "memory")) {
                    if (container.at("/resources/" + kind + "/" + resource).isMissingNode()) {
                        problems.add("Deployment " + n + ": no resources." + kind + "." + resource);
                    }
                }
            }
            if (!d.at("/spec/strategy/type").asText("RollingUpdate").equals("RollingUpdate")) {
                problems.add("Deployment " + n + ": strategy must be RollingUpdate");
            }
            if (m.ofKind("HorizontalPodAutoscaler").noneMatch(h -> h.at("/spec/scaleTargetRef/name").asText().equals(n))) {
                problems.add("Deployment " + n + ": no HorizontalPodAutoscaler");
            }
            if (m.ofKind("PodDisruptionBudget").noneMatch(p -> matches(p.at("/spec/selector"), d.at("/spec/template/metadata/labels")))) {
                problems.add("Deployment " + n + ": no PodDisruptionBudget");
            }
        }
        return problems;
    }

    private static void probe(List<String> problems, String n, String kind, JsonNode container, Map<String, Integer> ports,
            ServiceConfig svc, Set<String> paths) {
        JsonNode get = container.path(kind).path("httpGet");
        if (get.isMissingNode()) {
            problems.add("Deployment " + n + ": no " + kind + " with httpGet");
            return;
        }
        if (!paths.contains(get.path("path").asText())) {
            problems.add("Deployment " + n + ": " + kind + " path " + get.path("path").asText() + " is not " + paths);
        }
        JsonNode port = get.path("port");
        int number = port.isInt() ? port.asInt() : ports.getOrDefault(port.asText(), -1);
        if (number != svc.httpPort()) {
            problems.add("Deployment " + n + ": " + kind + " port " + port + " is not quarkus.http.port " + svc.httpPort());
        }
    }

    static JsonNode container(JsonNode deployment, String name) {
        for (JsonNode c : deployment.at("/spec/template/spec/containers")) {
            if (c.path("name").asText().equals(name)) {
                return c;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------------------
    // Environment

    /** The variables a service's Deployment sets, with their values (or a marker for Secret ones). */
    Map<String, String> environmentOf(String service, List<String> problems) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode d = m.find("Deployment", service).orElse(null);
        JsonNode c = d == null ? null : container(d, service);
        if (c == null) {
            return env;
        }
        for (JsonNode from : c.path("envFrom")) {
            if (from.has("secretRef")) {
                problems.add("Deployment " + service + ": envFrom secretRef hides which variables it sets; use env with secretKeyRef");
            }
            String name = from.at("/configMapRef/name").asText();
            if (from.has("configMapRef")) {
                m.find("ConfigMap", name).ifPresentOrElse(
                        cm -> cm.path("data").fields().forEachRemaining(f -> env.put(f.getKey(), f.getValue().asText())),
                        () -> problems.add("Deployment " + service + ": envFrom ConfigMap " + name + " is not rendered"));
            }
        }
        for (JsonNode e : c.path("env")) {
            env.put(e.path("name").asText(), e.has("value") ? e.path("value").asText() : SECRET);
        }
        return env;
    }

    List<String> environment() {
        List<String> problems = new ArrayList<>();
        for (ServiceConfig svc : services.values()) {
            Map<String, String> env = environmentOf(svc.name(), problems);
            env.keySet().stream().filter(v -> !svc.reads(v)).forEach(v -> problems.add(
                    "Deployment " + svc.name() + " sets " + v + ", which " + svc.name() + " does not read"));
            svc.effective(env).forEach((key, value) -> {
                // A helper key such as db.host counts through the properties that use it.
                boolean helper = svc.properties().values().stream().anyMatch(v -> v.contains("${" + key + "}"));
                if (!helper && value.contains("127.0.0.1")) {
                    problems.add("Deployment " + svc.name() + ": " + key + " resolves to the local stack's " + value);
                }
            });
        }
        return problems;
    }

    List<String> noSecretValues() {
        return m.ofKind("Secret")
                .map(s -> "Secret " + Manifests.name(s) + " is rendered: secret values are never committed; reference it instead")
                .toList();
    }

    // ---------------------------------------------------------------------------------------------------
    // Kafka topics and ACLs

    Map<String, JsonNode> kafkaTopics() {
        Map<String, JsonNode> topics = new TreeMap<>();
        m.ofKind("KafkaTopic").forEach(t -> topics.put(t.at("/spec/topicName").asText(Manifests.name(t)), t));
        return topics;
    }

    List<String> topics() {
        List<String> problems = new ArrayList<>();
        Set<String> used = Topics.all(services);
        Map<String, JsonNode> declared = kafkaTopics();
        used.stream().filter(t -> !declared.containsKey(t)).forEach(t -> problems.add("topic " + t + " is used but has no KafkaTopic"));
        declared.keySet().stream().filter(t -> !used.contains(t))
                .forEach(t -> problems.add("KafkaTopic " + t + " is used by no service (stale?)"));
        declared.forEach((name, t) -> {
            if (t.at("/spec/partitions").asInt(0) < 1 || t.at("/spec/replicas").asInt(0) < 1) {
                problems.add("KafkaTopic " + name + ": partitions and replicas must be set");
            }
            JsonNode config = t.at("/spec/config");
            if (!config.has("retention.ms") && !config.path("cleanup.policy").asText().contains("compact")) {
                problems.add("KafkaTopic " + name + ": no retention.ms (nor compaction)");
            }
        });
        return problems;
    }

    /** Topic or group name → operations, for one KafkaUser. */
    private static Map<String, Set<String>> grants(JsonNode user, String type) {
        Map<String, Set<String>> grants = new TreeMap<>();
        for (JsonNode acl : user.at("/spec/authorization/acls")) {
            if (acl.at("/resource/type").asText().equals(type) && acl.path("type").asText("allow").equals("allow")) {
                String name = acl.at("/resource/name").asText();
                if (!acl.at("/resource/patternType").asText("literal").equals("literal")) {
                    name = name + "*";
                }
                Set<String> ops = grants.computeIfAbsent(name, k -> new TreeSet<>());
                acl.path("operations").forEach(o -> ops.add(o.asText()));
                if (acl.has("operation")) {
                    ops.add(acl.path("operation").asText());
                }
            }
        }
        return grants;
    }

    List<String> acls() {
        List<String> problems = new ArrayList<>();
        Set<String> relayTopics = Topics.publishedByRelay();
        for (ServiceConfig svc : services.values()) {
            String n = svc.name();
            Optional<JsonNode> user = m.find("KafkaUser", n);
            if (user.isEmpty()) {
                problems.add("no KafkaUser " + n);
                continue;
            }
            Map<String, Set<String>> topics = grants(user.get(), "topic");
            Map<String, Set<String>> groups = grants(user.get(), "group");
            Set<String> mayRead = new TreeSet<>();
            Set<String> mayWrite = new TreeSet<>();
            svc.incoming().forEach((channel, c) -> {
                mayRead.add(c.topic());
                if (!topics.getOrDefault(c.topic(), Set.of()).contains("Read")) {
                    problems.add("KafkaUser " + n + ": may not Read " + c.topic() + ", which channel " + channel + " consumes");
                }
                if (c.groupId() == null || !groups.getOrDefault(c.groupId(), Set.of()).contains("Read")) {
                    problems.add("KafkaUser " + n + ": may not Read group " + c.groupId() + " of channel " + channel);
                }
            });
            svc.outgoing().forEach((channel, c) -> {
                mayWrite.add(c.topic());
                if (!topics.getOrDefault(c.topic(), Set.of()).contains("Write")) {
                    problems.add("KafkaUser " + n + ": may not Write " + c.topic() + ", which channel " + channel + " produces to");
                }
            });
            if (n.equals("outbox-relay")) {
                mayWrite.addAll(relayTopics);
                relayTopics.stream().filter(t -> !topics.getOrDefault(t, Set.of()).contains("Write"))
                        .forEach(t -> problems.add("KafkaUser outbox-relay: may not Write " + t + ", which outbox rows name"));
            }
            topics.forEach((topic, ops) -> {
                if (ops.contains("Read") && !mayRead.contains(topic)) {
                    problems.add("KafkaUser " + n + ": may Read " + topic + ", which " + n + " does not consume");
                }
                if ((ops.contains("Write") || ops.contains("All")) && !mayWrite.contains(topic)) {
                    problems.add("KafkaUser " + n + ": may Write " + topic + ", which only the relay publishes");
                }
            });
            JsonNode c = m.find("Deployment", n).map(d -> container(d, n)).orElse(null);
            if (c != null) {
                boolean usesUser = false;
                for (JsonNode e : c.path("env")) {
                    if (e.path("name").asText().equals("KAFKA_SASL_JAAS_CONFIG")) {
                        usesUser = e.at("/valueFrom/secretKeyRef/name").asText().equals(n);
                    }
                }
                if (!usesUser) {
                    problems.add("Deployment " + n + ": KAFKA_SASL_JAAS_CONFIG must come from the Secret of KafkaUser " + n);
                }
            }
        }
        return problems;
    }

    // ---------------------------------------------------------------------------------------------------
    // Logins: the role and password a service uses must be ones its database cluster creates.

    List<String> databaseLogins() {
        List<String> problems = new ArrayList<>();
        for (ServiceConfig svc : services.values()) {
            String n = svc.name();
            JsonNode c = m.find("Deployment", n).map(d -> container(d, n)).orElse(null);
            if (c == null) {
                continue;
            }
            Map<String, String> effective = svc.effective(environmentOf(n, new ArrayList<>()));
            boolean relay = effective.containsKey("corebank.relay.username");
            String user = relay ? effective.get("corebank.relay.username") : effective.get("quarkus.datasource.username");
            String passwordVariable = relay ? "RELAY_DB_PASSWORD" : "DB_PASSWORD";
            String secret = null;
            for (JsonNode e : c.path("env")) {
                if (e.path("name").asText().equals(passwordVariable)) {
                    secret = e.at("/valueFrom/secretKeyRef/name").asText(null);
                }
            }
            if (secret == null) {
                problems.add("Deployment " + n + ": " + passwordVariable + " must come from a Secret");
                continue;
            }
            for (String value : effective.values()) {
                Matcher url = DB_URL.matcher(value);
                if (!url.find() || !url.group(1).endsWith("-rw")) {
                    continue;
                }
                String clusterName = url.group(1).substring(0, url.group(1).length() - 3);
                String database = value.substring(value.lastIndexOf('/') + 1);
                JsonNode cluster = m.find("Cluster", clusterName).orElse(null);
                if (cluster == null) {
                    continue; // networkFlows reports the unknown host
                }
                if (!relay && !cluster.at("/spec/bootstrap/initdb/database").asText().equals(database)) {
                    problems.add(n + ": database " + database + " is not the one Cluster " + clusterName + " creates ("
                            + cluster.at("/spec/bootstrap/initdb/database").asText() + ")");
                }
                boolean roleOk = false;
                for (JsonNode role : cluster.at("/spec/managed/roles")) {
                    roleOk |= role.path("name").asText().equals(user)
                            && role.at("/passwordSecret/name").asText().equals(secret)
                            && role.path("login").asBoolean(false);
                }
                if (!roleOk) {
                    problems.add(n + ": logs in to " + clusterName + " as " + user + " with Secret " + secret
                            + ", which is no managed login role of that Cluster with that passwordSecret");
                }
            }
        }
        return problems;
    }

    /** The protocol and mechanism a service's Kafka clients use must be what the listener it reaches expects. */
    List<String> kafkaClientSecurity() {
        List<String> problems = new ArrayList<>();
        for (ServiceConfig svc : services.values()) {
            String n = svc.name();
            Map<String, String> env = environmentOf(n, new ArrayList<>());
            String servers = svc.effective(env).getOrDefault("kafka.bootstrap.servers", "");
            for (String server : servers.split(",")) {
                if (!server.contains("-kafka-bootstrap:")) {
                    continue;
                }
                String cluster = server.substring(0, server.indexOf("-kafka-bootstrap:"));
                int port = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
                for (JsonNode listener : m.find("Kafka", cluster).map(k -> k.at("/spec/kafka/listeners")).orElse(Manifests.YAML.createArrayNode())) {
                    if (listener.path("port").asInt() != port) {
                        continue;
                    }
                    boolean tls = listener.path("tls").asBoolean(false);
                    String auth = listener.at("/authentication/type").asText("");
                    String protocol = (auth.startsWith("scram") ? "SASL_" : "") + (tls ? "SSL" : "PLAINTEXT");
                    if (!protocol.equals(env.getOrDefault("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT"))) {
                        problems.add(n + ": KAFKA_SECURITY_PROTOCOL must be " + protocol + " for listener " + listener.path("name").asText());
                    }
                    if (auth.equals("scram-sha-512") && !"SCRAM-SHA-512".equals(env.get("KAFKA_SASL_MECHANISM"))) {
                        problems.add(n + ": KAFKA_SASL_MECHANISM must be SCRAM-SHA-512 for listener " + listener.path("name").asText());
                    }
                    if (tls && !env.containsKey("KAFKA_SSL_TRUSTSTORE_CERTIFICATES") && !env.containsKey("KAFKA_SSL_TRUSTSTORE_LOCATION")) {
                        problems.add(n + ": the listener " + listener.path("name").asText() + " uses TLS but no truststore is given");
                    }
                }
            }
        }
        return problems;
    }

    // ---------------------------------------------------------------------------------------------------
    // Network flows: what each service connects to must be a rendered object, let out by the service's
    // NetworkPolicy and let in by the target's.

    List<String> networkFlows() {
        List<String> problems = new ArrayList<>();
        for (ServiceConfig svc : services.values()) {
            String n = svc.name();
            JsonNode d = m.find("Deployment", n).orElse(null);
            if (d == null) {
                continue;
            }
            JsonNode podLabels = d.at("/spec/template/metadata/labels");
            List<JsonNode> own = policiesSelecting(podLabels);
            if (own.isEmpty()) {
                problems.add("Deployment " + n + ": no NetworkPolicy selects its pods");
                continue;
            }
            if (!allowsIngress(own, null, svc.httpPort())) {
                problems.add("NetworkPolicy of " + n + ": no ingress to its HTTP port " + svc.httpPort());
            }
            Map<String, String> effective = svc.effective(environmentOf(n, new ArrayList<>()));
            List<String[]> targets = new ArrayList<>();
            effective.forEach((key, value) -> {
                Matcher db = DB_URL.matcher(value);
                if (db.find()) {
                    targets.add(new String[] {key, db.group(1), db.group(2)});
                }
            });
            Optional.ofNullable(effective.get("quarkus.redis.hosts")).map(URI::create)
                    .ifPresent(u -> targets.add(new String[] {"quarkus.redis.hosts", u.getHost(), String.valueOf(u.getPort())}));
            Optional.ofNullable(effective.get("kafka.bootstrap.servers")).ifPresent(servers -> {
                for (String s : servers.split(",")) {
                    targets.add(new String[] {"kafka.bootstrap.servers", s.substring(0, s.lastIndexOf(':')), s.substring(s.lastIndexOf(':') + 1)});
                }
            });
            for (String[] t : targets) {
                int port = Integer.parseInt(t[2]);
                JsonNode labels = podLabelsOfHost(t[1]);
                if (labels == null) {
                    problems.add(n + ": " + t[0] + " names host " + t[1] + ", which is no Service, CloudNativePG cluster or Kafka of this overlay");
                    continue;
                }
                if (!allowsEgress(own, labels, port)) {
                    problems.add("NetworkPolicy of " + n + ": no egress to " + t[1] + ":" + port + " (" + t[0] + ")");
                }
                List<JsonNode> theirs = policiesSelecting(labels);
                if (!theirs.isEmpty() && !allowsIngress(theirs, podLabels, port)) {
                    problems.add("NetworkPolicy of " + t[1] + ": does not let " + n + " in on " + port);
                }
                if (t[0].startsWith("kafka") && !kafkaListenerAdmits(t[1], port, podLabels)) {
                    problems.add("Kafka listener on " + port + ": networkPolicyPeers do not admit " + n);
                }
            }
        }
        return problems;
    }

    private JsonNode podLabelsOfHost(String host) {
        if (host.endsWith("-rw") && m.find("Cluster", host.substring(0, host.length() - 3)).isPresent()) {
            return Manifests.YAML.createObjectNode().put("cnpg.io/cluster", host.substring(0, host.length() - 3));
        }
        if (host.endsWith("-kafka-bootstrap") && m.find("Kafka", host.substring(0, host.length() - 16)).isPresent()) {
            return kafkaPodLabels(host.substring(0, host.length() - 16));
        }
        return m.find("Service", host).flatMap(s -> podsMatching(s.at("/spec/selector"), true).stream().findFirst())
                .map(d -> d.at("/spec/template/metadata/labels")).orElse(null);
    }

    private List<JsonNode> policiesSelecting(JsonNode labels) {
        return m.ofKind("NetworkPolicy").filter(p -> matches(p.at("/spec/podSelector"), labels)).toList();
    }

    private static boolean allowsEgress(List<JsonNode> policies, JsonNode target, int port) {
        return allows(policies, "Egress", "egress", "to", target, port);
    }

    /** from null: any peer (the check is only that the port is open to someone). */
    private static boolean allowsIngress(List<JsonNode> policies, JsonNode from, int port) {
        return allows(policies, "Ingress", "ingress", "from", from, port);
    }

    private static boolean allows(List<JsonNode> policies, String type, String field, String peers, JsonNode labels, int port) {
        for (JsonNode p : policies) {
            boolean typed = false;
            for (JsonNode t : p.at("/spec/policyTypes")) {
                typed |= t.asText().equals(type);
            }
            if (!typed) {
                return true; // this policy does not restrict that direction
            }
            for (JsonNode rule : p.at("/spec/" + field)) {
                boolean portOk = rule.path("ports").isEmpty();
                for (JsonNode rp : rule.path("ports")) {
                    portOk |= rp.path("port").asInt(-1) == port;
                }
                boolean peerOk = rule.path(peers).isEmpty() || labels == null;
                for (JsonNode peer : rule.path(peers)) {
                    // Same-namespace pod peers only; a namespaceSelector peer is another namespace.
                    peerOk |= !peer.has("namespaceSelector") && !peer.has("ipBlock") && matches(peer.path("podSelector"), labels);
                }
                if (portOk && peerOk) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean kafkaListenerAdmits(String host, int port, JsonNode podLabels) {
        String cluster = host.substring(0, host.length() - "-kafka-bootstrap".length());
        JsonNode kafka = m.find("Kafka", cluster).orElse(null);
        if (kafka == null) {
            return false;
        }
        for (JsonNode listener : kafka.at("/spec/kafka/listeners")) {
            if (listener.path("port").asInt() == port) {
                JsonNode peers = listener.path("networkPolicyPeers");
                if (peers.isMissingNode() || peers.isEmpty()) {
                    return true;
                }
                for (JsonNode peer : peers) {
                    if (!peer.has("namespaceSelector") && matches(peer.path("podSelector"), podLabels)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
