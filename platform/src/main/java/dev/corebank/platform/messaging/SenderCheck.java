package dev.corebank.platform.messaging;

import dev.corebank.outbox.CloudEvents;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Which services may send a consumer each message type it reads, by their outbox source names (the relay
 * stamps {@code ce_source = /corebank/<name>} on every record it publishes, and only the relay may write the
 * services' topics). A record of a checked type from any other source, or from none, is refused and counted
 * in {@code messages.untrusted{consumer,type,source}}; types not named here are the caller's business.
 *
 * <p>The {@code source} tag is the record's {@code ce_source} only when it names a service this consumer knows
 * of; any other value is counted as {@code other} (and logged by the consumer), so a forger cannot grow the
 * metric without bound. A record without the header is counted as {@code none}.
 */
public final class SenderCheck {

    private static final String COUNTER = "messages.untrusted";

    private final String consumer;
    private final Map<String, Set<String>> allowedByType;
    private final Set<String> known;
    private final MeterRegistry registry;

    /**
     * @param consumer      names the consumer in the metric
     * @param allowedByType for each checked {@code ce_type}, the source names that may send it
     * @param self          this service's own source name, if it has one (known, so tagged by name)
     */
    public SenderCheck(String consumer, Map<String, ? extends Collection<String>> allowedByType, Optional<String> self,
            MeterRegistry registry) {
        this.consumer = consumer;
        this.allowedByType = allowedByType.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, allowed -> allowed.getValue().stream()
                        .map(CloudEvents::sourceOf)
                        .collect(Collectors.toUnmodifiableSet())));
        this.known = Stream.concat(
                        allowedByType.values().stream().flatMap(Collection::stream), self.stream())
                .map(CloudEvents::sourceOf)
                .collect(Collectors.toUnmodifiableSet());
        this.registry = registry;
    }

    /** Whether {@code type} is one this check guards. */
    public boolean checks(String type) {
        return allowedByType.containsKey(type);
    }

    /**
     * Passes a record whose type is not checked here, or that comes from a service allowed to send its type.
     *
     * @throws UntrustedSender otherwise, after counting it
     */
    public void require(ConsumerRecord<?, ?> record) {
        Optional<String> type = CloudEventDecoder.header(record, CloudEvents.TYPE);
        if (type.isEmpty() || !checks(type.get())) {
            return;
        }
        Optional<String> source = CloudEventDecoder.header(record, CloudEvents.SOURCE);
        if (source.isPresent() && allowedByType.get(type.get()).contains(source.get())) {
            return;
        }
        String tag = source.map(value -> known.contains(value) ? value : "other").orElse("none");
        registry.counter(COUNTER, "consumer", consumer, "type", type.get(), "source", tag).increment();
        throw new UntrustedSender(type.get(), source.orElse(null), type.get() + " at " + record.topic() + "-"
                + record.partition() + "@" + record.offset() + " comes from " + source.map(s -> "'" + s + "'")
                .orElse("no " + CloudEvents.SOURCE) + "; only " + allowedByType.get(type.get()) + " may send it");
    }
}
