package dev.corebank.base.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaSecurityTest {

    @Test
    void takesTheProtocolAndEverySaslAndSslSetting() {
        Map<String, Object> config = Map.of(
                "bootstrap.servers", "corebank-kafka-bootstrap:9093",
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "ssl.truststore.type", "PEM",
                "ssl.truststore.certificates", "-----BEGIN CERTIFICATE-----",
                "acks", "all");
        assertEquals(Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "ssl.truststore.type", "PEM",
                "ssl.truststore.certificates", "-----BEGIN CERTIFICATE-----"), KafkaSecurity.settings(config));
    }

    @Test
    void aPlaintextBrokerNeedsNothing() {
        assertTrue(KafkaSecurity.settings(Map.of("bootstrap.servers", "127.0.0.1:9092")).isEmpty());
    }
}
