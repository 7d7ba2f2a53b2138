package dev.corebank.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates rendered objects offline against their API's schema:
 * <ul>
 * <li>core Kubernetes kinds with the official Java client's models, generated from the Kubernetes OpenAPI
 * document, whose readers refuse unknown fields, missing required ones and wrong types;</li>
 * <li>Strimzi's kinds with Strimzi's own API model (io.strimzi:api, the classes its CRDs are generated
 * from), read with Jackson; its classes keep unknown fields aside instead of failing, so any kept field is
 * reported as unknown;</li>
 * <li>CloudNativePG's Cluster with {@link CloudNativePg}.</li>
 * </ul>
 * A kind none of them covers is itself a failure: nothing reaches a cluster unchecked.
 */
final class Schemas {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    interface CoreReader {
        void read(String json) throws Exception;
    }

    private static final Map<String, CoreReader> CORE = Map.of(
            "v1/ConfigMap", V1ConfigMap::fromJson,
            "v1/Namespace", V1Namespace::fromJson,
            "v1/Service", V1Service::fromJson,
            "v1/ServiceAccount", V1ServiceAccount::fromJson,
            "apps/v1/Deployment", V1Deployment::fromJson,
            "autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler::fromJson,
            "policy/v1/PodDisruptionBudget", V1PodDisruptionBudget::fromJson,
            "networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy::fromJson);

    private static final Map<String, Class<?>> STRIMZI = Map.of(
            "kafka.strimzi.io/v1beta2/Kafka", Kafka.class,
            "kafka.strimzi.io/v1beta2/KafkaNodePool", KafkaNodePool.class,
            "kafka.strimzi.io/v1beta2/KafkaTopic", KafkaTopic.class,
            "kafka.strimzi.io/v1beta2/KafkaUser", KafkaUser.class);

    private Schemas() {
    }

    /** What is wrong with this object, one line per problem; empty when it is valid. */
    static List<String> problems(JsonNode object) {
        String type = object.path("apiVersion").asText() + "/" + object.path("kind").asText();
        String where = type + " " + object.path("metadata").path("name").asText("(no name)") + ": ";
        try {
            String json = JSON.writeValueAsString(object);
            if (CORE.containsKey(type)) {
                CORE.get(type).read(json);
                return List.of();
            }
            if (STRIMZI.containsKey(type)) {
                Object model = JSON.readValue(json, STRIMZI.get(type));
                return unknownFields(model, "").stream().map(p -> where + "unknown field " + p).toList();
            }
            if (type.equals("postgresql.cnpg.io/v1/Cluster")) {
                STRICT.readValue(json, CloudNativePg.Cluster.class);
                return List.of();
            }
            return List.of(where + "no schema known for this kind; add one to Schemas before using it");
        } catch (Exception e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            return List.of(where + message.lines().findFirst().orElse(message));
        }
    }

    /** Paths of the fields Strimzi's model did not know, anywhere in the object. */
    private static List<String> unknownFields(Object model, String path) {
        List<String> found = new ArrayList<>();
        walk(model, path, found, Collections.newSetFromMap(new IdentityHashMap<>()));
        return found;
    }

    private static void walk(Object value, String path, List<String> found, Set<Object> seen) {
        if (value == null || !seen.add(value)) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", found, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, found, seen));
            return;
        }
        String pkg = value.getClass().getPackageName();
        if (!pkg.startsWith("io.strimzi") && !pkg.startsWith("io.fabric8")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !(getter.getName().startsWith("get") || getter.getName().startsWith("is"))
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object child;
            try {
                child = getter.invoke(value);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(k -> found.add((path.isEmpty() ? "" : path + ".") + k));
                }
                continue;
            }
            String name = getter.getName().replaceFirst("^(get|is)", "");
            walk(child, path + (path.isEmpty() ? "" : ".") + Character.toLowerCase(name.charAt(0)) + name.substring(1),
                    found, seen);
        }
    }
}
