package dev.corebank.relay.source;

import java.util.List;

/**
 * The topics one source may publish to: exact names, or prefixes written with a trailing {@code *}, as
 * Kafka's literal and prefixed ACLs. A row for any other topic is never published.
 */
public record TopicPolicy(String source, List<String> patterns) {

    public TopicPolicy {
        patterns = List.copyOf(patterns);
    }

    public boolean allows(String topic) {
        return patterns.stream().anyMatch(pattern -> pattern.endsWith("*")
                ? topic.startsWith(pattern.substring(0, pattern.length() - 1))
                : topic.equals(pattern));
    }
}
