package dev.corebank.chaos;

import java.util.List;
import java.util.Optional;

/**
 * One fault the suite injects. {@code name} is also the verb of {@code bin/chaos fault <name> begin|end}, which
 * does the damage and undoes it; the suite sleeps {@code outageSeconds} in between. {@code killedPort} is the port
 * of a service the fault kills: the one place where a refused or dropped connection is what a client should see.
 */
record Scenario(String name, String fault, int outageSeconds, Integer killedPort) {

    static final List<Scenario> ALL = List.of(
            new Scenario("redis-stall", "Redis unresponsive: CLIENT PAUSE <outage> ALL", 90, null),
            new Scenario("redis-restart", "Redis shut down without saving (data gone), restarted empty", 15, null),
            new Scenario("postgres-stop", "PostgreSQL stopped (pg_ctlcluster stop -m fast), then started", 90, null),
            new Scenario("kafka-kill", "Kafka broker killed with kill -9, restarted by bin/stack kafka", 30, null),
            new Scenario("kill-account", "account-service killed with kill -9, restarted by bin/stack up", 10, 8081),
            new Scenario("kill-transfer", "transfer-service killed with kill -9, restarted by bin/stack up", 10, 8082),
            new Scenario("kill-order", "order-saga-service killed with kill -9, restarted by bin/stack up", 10, 8083),
            new Scenario("kill-relay", "outbox-relay killed with kill -9, restarted by bin/stack up", 10, 8084));

    static Optional<Scenario> named(String name) {
        return ALL.stream().filter(scenario -> scenario.name.equals(name)).findFirst();
    }

    /** This scenario with another outage length (the short form stalls Redis for less than the full one). */
    Scenario withOutage(int seconds) {
        return new Scenario(name, fault, seconds, killedPort);
    }
}
