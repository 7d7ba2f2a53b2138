package dev.corebank.base.kafka;

import java.util.Map;
import java.util.TreeMap;

/**
 * The settings with which a Kafka client proves who it is and trusts the broker: security.protocol and
 * every sasl.* and ssl.* setting of the application's Kafka configuration.
 *
 * <p>Clients that the services build themselves (the relay's producer, the readiness check's admin client)
 * start from bootstrap.servers alone; without these they could not reach a broker that requires
 * authentication, such as the SCRAM-over-TLS listener of k8s/ (KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_*,
 * KAFKA_SSL_* variables).
 */
public final class KafkaSecurity {

    private KafkaSecurity() {
    }

    /** The security settings in {@code kafkaConfig} (the default-kafka-broker map); empty for a plaintext broker. */
    public static Map<String, Object> settings(Map<String, Object> kafkaConfig) {
        Map<String, Object> security = new TreeMap<>();
        kafkaConfig.forEach((key, value) -> {
            if (key.equals("security.protocol") || key.startsWith("sasl.") || key.startsWith("ssl.")) {
                security.put(key, value);
            }
        });
        return security;
    }
}
