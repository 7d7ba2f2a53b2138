package dev.corebank.deploy;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The checks catch what they are for: each case breaks one thing in a copy of k8s/ or docker-compose.yml
 * (never the real files) and expects the problem it names. A check that stopped finding anything would
 * fail here, not pass silently.
 */
class BrokenManifestsTest {

    @TempDir
    Path copy;

    private static void replace(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        String broken = text.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to));
        assertNotEquals(text, broken, "the break did not apply: '" + from + "' is not in " + file);
        Files.writeString(file, broken);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            wrong readiness path           | account-service/deployment.yaml | path: /q/health/ready              | path: /q/health/readiness              | readinessProbe path /q/health/readiness is not [/q/health/ready]
            probe on another port          | outbox-relay/deployment.yaml    | containerPort: 8084                 | containerPort: 8080                    | no containerPort 8084
            unknown field in a Deployment  | account-service/deployment.yaml | revisionHistoryLimit: 5             | revisionHistoryLimit: 5\\n  replica: 2  | The field `replica` in the JSON string is not defined in the `V1DeploymentSpec` properties
            unknown field in a probe       | transfer-service/deployment.yaml| timeoutSeconds: 3                   | timeoutSecond: 3                       | The field `timeoutSecond` in the JSON string is not defined in the `V1Probe` properties
            missing required field         | order-saga-service/service.yaml | port: 8083                          | appProtocol: http                      | The required field `port` is not found
            unknown field in a KafkaTopic  | kafka/topics.yaml               | partitions: 12                      | partition: 12                          | unknown field spec.partition
            unknown field in a CNPG Cluster| postgres/clusters.yaml          | primaryUpdateStrategy: unsupervised | primaryUpdateStrategy: unsupervised\\n  walStorage: {size: 1Gi} | Unrecognized field "walStorage"
            variable the service ignores   | account-service/configmap.yaml  | DB_NAME: accounts                   | DB_DATABASE: accounts                  | sets DB_DATABASE, which account-service does not read
            host left at the local default | account-service/configmap.yaml  | DB_HOST: accounts-db-rw             | DB_PORT_OVERRIDE: x                    | resolves to the local stack's postgresql://127.0.0.1
            topic without KafkaTopic       | kafka/topics.yaml               | topicName: ledger.commands.dlt      | topicName: ledger.commands.dead        | topic ledger.commands.dlt is used but has no KafkaTopic
            a service writing a topic      | kafka/users.yaml                | operations: [Read, Describe]        | operations: [Read, Write, Describe]    | which only the relay publishes
            a consumer without its group   | kafka/users.yaml                | name: transfer-service\\n          patternType | name: transfer-svc\\n          patternType | may not Read group transfer-service
            Service selecting nothing      | transfer-service/service.yaml   | app.kubernetes.io/name: transfer-service\\n  ports | app.kubernetes.io/name: transfers\\n  ports | matches no Deployment's pods
            egress to Redis missing        | order-saga-service/networkpolicy.yaml | port: 6379                    | port: 6380                             | no egress to redis:6379
            grace period too short         | transfer-service/deployment.yaml| terminationGracePeriodSeconds: 60   | terminationGracePeriodSeconds: 40      | terminationGracePeriodSeconds 40 must exceed
            wrong database role            | account-service/configmap.yaml  | DB_USER: account_svc                | DB_USER: accounts                      | logs in to accounts-db as accounts
            relay secret not the role's    | outbox-relay/deployment.yaml    | name: outbox-relay-db               | name: relay-db                         | logs in to accounts-db as outbox_relay with Secret relay-db
            plaintext to a TLS listener    | order-saga-service/configmap.yaml | KAFKA_SECURITY_PROTOCOL: SASL_SSL | KAFKA_SECURITY_PROTOCOL: SASL_PLAINTEXT | KAFKA_SECURITY_PROTOCOL must be SASL_SSL
            root user                      | outbox-relay/deployment.yaml    | runAsUser: 185                      | runAsUser: 0                           | must run as non-root
            """)
    void aBrokenManifestIsCaught(String what, String file, String from, String to, String expected) throws IOException {
        Repository.copyTree(Repository.ROOT.resolve("k8s"), copy);
        replace(copy.resolve("base").resolve(file), from.replace("\\n", "\n"), to.replace("\\n", "\n"));
        List<String> problems = new DeploymentChecks(Manifests.render(copy, "dev"), KubernetesManifestsTest.SERVICES).all();
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)),
                what + ": expected a problem containing '" + expected + "', got:\n  " + String.join("\n  ", problems));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            wrong health check path | 8082; printf 'GET /q/health/ready  | 8082; printf 'GET /q/health/readyz | health check GET /q/health/readyz on port 8082 is not port 8082
            unknown field           | stop_grace_period: 45s              | stop_grace_periods: 45s               | Unsupported config option
            variable not read       | DB_NAME: transfers                  | DB_NAMES: transfers                   | sets DB_NAMES, which transfer-service does not read
            topic not created       | ledger.commands.dlt:3               | ledger.commands.dead:3                | topic ledger.commands.dlt is used but kafka-topics does not create it
            no healthy dependency   | condition: service_healthy          | condition: service_started            | without a healthy/completed condition
            """)
    void aBrokenComposeFileIsCaught(String what, String from, String to, String expected) throws IOException {
        Path file = copy.resolve("docker-compose.yml");
        Files.copy(Repository.ROOT.resolve("docker-compose.yml"), file);
        replace(file, from, to);
        List<String> problems = ComposeTest.problems(file);
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)),
                what + ": expected a problem containing '" + expected + "', got:\n  " + String.join("\n  ", problems));
    }
}
