package dev.corebank.base.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * Readiness of a dependency the service can do without (Redis, and Kafka while the outbox holds the work): it is asked, and what it answered is reported, but
 * the check stays UP, because a pod that still serves every request (more slowly, or with a check skipped)
 * must stay in rotation. Taking every pod out at once when a cache goes away would turn a degraded service
 * into no service. The response says whether the dependency answered and, when it did not, what the pod
 * serves without it, so an operator reading {@code /q/health/ready} sees both; the last answer is also the
 * gauge {@code dependency_reachable{dependency=...}} (1 or 0), to alert on.
 *
 * <p>A service names its optional dependency by extending this class as a {@code @Readiness} bean.
 */
public abstract class DegradableDependencyCheck implements AsyncHealthCheck {

    private final String name;
    private final String withoutIt;
    private final Duration timeout;
    private final Supplier<Uni<?>> ping;
    private final AtomicInteger reachable = new AtomicInteger(1);

    /**
     * @param name the check's name in {@code /q/health/ready}
     * @param withoutIt what the service still serves, and how, while the dependency does not answer
     * @param timeout how long one ping may take before the dependency counts as unreachable
     * @param ping asks the dependency once; any item means it answered
     */
    protected DegradableDependencyCheck(String name, String withoutIt, Duration timeout, Supplier<Uni<?>> ping,
            MeterRegistry registry) {
        this.name = name;
        this.withoutIt = withoutIt;
        this.timeout = timeout;
        this.ping = ping;
        Gauge.builder("dependency_reachable", reachable, AtomicInteger::get)
                .description("1 if the dependency answered the last readiness check, else 0 (the service runs degraded)")
                .tag("dependency", name)
                .register(registry);
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return Uni.createFrom().deferred(ping)
                .ifNoItem().after(timeout)
                .failWith(() -> new IllegalStateException("no answer within " + timeout))
                .map(answered -> {
                    reachable.set(1);
                    HealthCheckResponseBuilder up = HealthCheckResponse.named(name).up().withData("reachable", true);
                    describe(answered).forEach(up::withData);
                    return up.build();
                })
                .onFailure().recoverWithItem(this::degraded);
    }

    /** What the check reports of a dependency that answered, beside {@code reachable}; nothing by default. */
    protected Map<String, String> describe(Object answer) {
        return Map.of();
    }

    private HealthCheckResponse degraded(Throwable failure) {
        reachable.set(0);
        return HealthCheckResponse.named(name)
                .up()
                .withData("reachable", false)
                .withData("degraded", withoutIt)
                .withData("error", String.valueOf(failure.getMessage()))
                .build();
    }
}
