package dev.corebank.deploy;

import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Quarkus hands every configuration name that starts with "kafka" to the Kafka clients, an environment
 * variable KAFKA_SASL_MECHANISM as sasl.mechanism (KafkaRuntimeConfigProducer). So a service reads a
 * KAFKA_* variable exactly when the rest of its name is a setting the Kafka clients know.
 */
final class KafkaSettings {

    private static final Set<String> NAMES = new TreeSet<>();

    static {
        NAMES.addAll(ProducerConfig.configNames());
        NAMES.addAll(ConsumerConfig.configNames());
        NAMES.addAll(AdminClientConfig.configNames());
    }

    private KafkaSettings() {
    }

    static boolean isKafkaClientVariable(String variable) {
        return variable.startsWith("KAFKA_")
                && NAMES.contains(variable.substring("KAFKA_".length()).toLowerCase().replace('_', '.'));
    }
}
