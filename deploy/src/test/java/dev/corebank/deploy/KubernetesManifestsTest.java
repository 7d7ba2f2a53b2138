package dev.corebank.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every overlay of k8s/, rendered with kubectl kustomize, checked offline. */
class KubernetesManifestsTest {

    static final Map<String, ServiceConfig> SERVICES = ServiceConfig.all();

    private static final Map<String, Manifests> RENDERED = new java.util.concurrent.ConcurrentHashMap<>();

    private static DeploymentChecks checks(String overlay) {
        return new DeploymentChecks(rendered(overlay), SERVICES);
    }

    /** Each overlay is rendered once for all tests: kubectl takes a second or two each time. */
    private static Manifests rendered(String overlay) {
        return RENDERED.computeIfAbsent(overlay, o -> Manifests.render(Repository.ROOT.resolve("k8s"), o));
    }

    private static void assertNone(List<String> problems, String what) {
        assertTrue(problems.isEmpty(), what + ":\n  " + String.join("\n  ", problems));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyObjectIsValidAgainstItsSchema(String overlay) {
        assertNone(checks(overlay).schemas(), overlay + ": objects that fail their schema");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void selectorsMatchPodLabels(String overlay) {
        assertNone(checks(overlay).selectors(), overlay + ": selectors");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void probesPortsAndShutdownFollowEachServicesHttpConfig(String overlay) {
        assertNone(checks(overlay).httpAndProbes(), overlay + ": HTTP, probes, shutdown, security, scaling");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyVariableSetIsOneTheServiceReadsAndNothingPointsAtTheLocalStack(String overlay) {
        assertNone(checks(overlay).environment(), overlay + ": environment");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void noSecretValueIsCommitted(String overlay) {
        assertNone(checks(overlay).noSecretValues(), overlay + ": secrets");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyTopicUsedHasAKafkaTopic(String overlay) {
        assertNone(checks(overlay).topics(), overlay + ": topics");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void onlyTheRelayWritesServiceTopicsAndEachServiceReadsOnlyItsOwn(String overlay) {
        assertNone(checks(overlay).acls(), overlay + ": KafkaUser ACLs");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void networkPoliciesLetThroughExactlyTheFlowsTheServicesUse(String overlay) {
        assertNone(checks(overlay).networkFlows(), overlay + ": network flows");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyServiceLogsInWithARoleAndSecretItsDatabaseClusterManages(String overlay) {
        assertNone(checks(overlay).databaseLogins(), overlay + ": database logins");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void kafkaClientsSpeakTheListenersProtocol(String overlay) {
        assertNone(checks(overlay).kafkaClientSecurity(), overlay + ": Kafka client security");
    }

    @Test
    void prodRunsTwoRelaysAndAReplicaOfEveryDatabase() {
        Manifests prod = rendered("prod");
        assertEquals(2, prod.find("Deployment", "outbox-relay").orElseThrow().at("/spec/replicas").asInt());
        assertEquals(2, prod.find("HorizontalPodAutoscaler", "outbox-relay").orElseThrow().at("/spec/minReplicas").asInt());
        Function<JsonNode, Integer> instances = c -> c.at("/spec/instances").asInt();
        assertEquals(3, prod.ofKind("Cluster").filter(c -> instances.apply(c) >= 2).count(), "every database has a replica");
        prod.ofKind("HorizontalPodAutoscaler").forEach(h ->
                assertTrue(h.at("/spec/minReplicas").asInt() >= 2, Manifests.name(h) + " may scale below two in prod"));
    }
}
