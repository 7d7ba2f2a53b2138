package dev.corebank.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** docker-compose.yml, validated by docker-compose itself (offline) and checked against the services. */
class ComposeTest {

    static Map<String, Integer> k8sPartitions() {
        Map<String, Integer> partitions = new TreeMap<>();
        new DeploymentChecks(Manifests.render(Repository.ROOT.resolve("k8s"), "prod"), KubernetesManifestsTest.SERVICES)
                .kafkaTopics().forEach((name, t) -> partitions.put(name, t.at("/spec/partitions").asInt()));
        return partitions;
    }

    static List<String> problems(java.nio.file.Path file) {
        List<String> problems = new ArrayList<>();
        ComposeChecks checks = ComposeChecks.of(file, KubernetesManifestsTest.SERVICES, problems);
        if (checks != null) {
            problems.addAll(checks.all(k8sPartitions()));
        }
        return problems;
    }

    @Test
    void composeFileIsValidAndMatchesTheServicesConfiguration() {
        List<String> problems = problems(Repository.ROOT.resolve("docker-compose.yml"));
        assertTrue(problems.isEmpty(), "docker-compose.yml:\n  " + String.join("\n  ", problems));
    }
}
