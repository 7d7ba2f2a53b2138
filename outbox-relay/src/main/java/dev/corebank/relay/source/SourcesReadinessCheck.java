package dev.corebank.relay.source;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** The relay is ready only when it can reach every source database it is configured to drain. */
@Readiness
@Singleton
public class SourcesReadinessCheck implements AsyncHealthCheck {

    static final String NAME = "Outbox source databases";

    private final SourcePools pools;
    private final Duration timeout;

    SourcesReadinessCheck(SourcePools pools, RelayConfig config) {
        this.pools = pools;
        this.timeout = config.healthTimeout();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        List<Uni<Probe>> probes = pools.all().entrySet().stream()
                .map(this::probe)
                .toList();
        if (probes.isEmpty()) {
            return Uni.createFrom().item(HealthCheckResponse.named(NAME)
                    .down()
                    .withData("reason", "no sources configured (corebank.relay.sources)")
                    .build());
        }
        return Uni.join().all(probes).andFailFast()
                .map(SourcesReadinessCheck::response);
    }

    private Uni<Probe> probe(Map.Entry<String, Pool> source) {
        return source.getValue()
                .query("SELECT 1")
                .execute()
                .map(rows -> new Probe(source.getKey(), null))
                .ifNoItem().after(timeout)
                .failWith(() -> new IllegalStateException("no answer within " + timeout))
                .onFailure().recoverWithItem(e -> new Probe(source.getKey(), describe(e)));
    }

    private static String describe(Throwable failure) {
        return failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }

    private static HealthCheckResponse response(List<Probe> probes) {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named(NAME).up();
        for (Probe probe : probes) {
            builder.withData(probe.source(), probe.failure() == null ? "UP" : "DOWN: " + probe.failure());
            if (probe.failure() != null) {
                builder.down();
            }
        }
        return builder.build();
    }

    private record Probe(String source, String failure) {
    }
}
