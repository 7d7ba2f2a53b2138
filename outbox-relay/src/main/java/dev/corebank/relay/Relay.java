package dev.corebank.relay;

import dev.corebank.relay.publish.KafkaPublisher;
import dev.corebank.relay.source.RelayConfig;
import dev.corebank.relay.source.SourcePools;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;

/** Starts one {@link SourceRelay} per configured source with the application, and stops them with it. */
@Singleton
public class Relay {

    private final String instance = ManagementFactory.getRuntimeMXBean().getName();
    private final List<SourceRelay> sources;

    Relay(RelayConfig config, SourcePools pools, KafkaPublisher publisher, Vertx vertx, MeterRegistry registry) {
        this.sources = pools.all().entrySet().stream()
                .map(source -> new SourceRelay(source.getKey(), vertx, source.getValue(),
                        pools.connectOptions(source.getKey()), publisher, config, config.topicsOf(source.getKey()),
                        registry))
                .toList();
    }

    void onStart(@Observes StartupEvent start) {
        sources.forEach(SourceRelay::start);
    }

    /** Gives every lane back at once (closing the owner connections), so peers take over without waiting. */
    void onStop(@Observes ShutdownEvent stop) {
        if (sources.isEmpty()) {
            return;
        }
        Uni.join().all(sources.stream().map(SourceRelay::stop).toList()).andCollectFailures()
                .await().atMost(Duration.ofSeconds(5));
    }

    public RelayStatus status() {
        return new RelayStatus(instance, sources.stream().map(SourceRelay::status).toList());
    }
}
