package dev.corebank.testing;

import java.util.Map;
import java.util.Optional;

/**
 * Where the infrastructure of a test run lives, read from the same environment variables the services use.
 *
 * <p>When none of them is set the tests leave infrastructure to Quarkus Dev Services (containers, on a
 * machine with Docker). {@code bin/stack test} sets them, so on machines without Docker the tests run
 * against the local stack: PostgreSQL and Redis of the machine, the Kafka broker the script started.
 */
public record LocalStack(String dbHost, int dbPort, String dbAdminUser, String redisUrl, String kafkaBootstrap) {

    static final String[] VARIABLES = {"DB_HOST", "REDIS_URL", "KAFKA_BOOTSTRAP_SERVERS"};

    /** The local stack named by the environment, or empty when the environment names none. */
    public static Optional<LocalStack> fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    static Optional<LocalStack> fromEnvironment(Map<String, String> env) {
        boolean anySet = false;
        for (String variable : VARIABLES) {
            anySet |= env.containsKey(variable);
        }
        if (!anySet) {
            return Optional.empty();
        }
        return Optional.of(new LocalStack(
                env.getOrDefault("DB_HOST", "127.0.0.1"),
                Integer.parseInt(env.getOrDefault("DB_PORT", "5432")),
                env.getOrDefault("DB_ADMIN_USER", "postgres"),
                env.getOrDefault("REDIS_URL", "redis://127.0.0.1:6379"),
                env.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")));
    }

    /** JDBC URL of {@code database} on this stack's PostgreSQL. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + dbHost + ":" + dbPort + "/" + database;
    }

    /** Vert.x reactive-client URL of {@code database} on this stack's PostgreSQL. */
    public String reactiveUrl(String database) {
        return "postgresql://" + dbHost + ":" + dbPort + "/" + database;
    }
}
