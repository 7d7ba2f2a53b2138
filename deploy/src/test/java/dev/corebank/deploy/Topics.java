package dev.corebank.deploy;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The topics the system uses, from the code that names them. */
final class Topics {

    private static final Pattern CONSTANT = Pattern.compile("public static final String ([A-Z_]+) = \"([^\"]+)\";");
    private static final Pattern RELAY_DEAD_LETTERS = Pattern.compile(
            "@WithDefault\\(\"([^\"]+)\"\\)\\s*String deadLetterTopic\\(\\)");

    private Topics() {
    }

    /** dev.corebank.messages.Topics' constants that name a topic (not the dead-letter suffix). */
    static Map<String, String> constants() {
        String text = Repository.read(Repository.ROOT.resolve("messages/src/main/java/dev/corebank/messages/Topics.java"));
        Map<String, String> constants = new TreeMap<>();
        Matcher m = CONSTANT.matcher(text);
        while (m.find()) {
            if (!m.group(1).endsWith("_SUFFIX")) {
                constants.put(m.group(1), m.group(2));
            }
        }
        return constants;
    }

    /** Where the relay describes rows the broker refuses (RelayConfig's default). */
    static String relayDeadLetterTopic() {
        String text = Repository.read(Repository.ROOT.resolve(
                "outbox-relay/src/main/java/dev/corebank/relay/source/RelayConfig.java"));
        Matcher m = RELAY_DEAD_LETTERS.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("RelayConfig.deadLetterTopic() has no @WithDefault");
        }
        return m.group(1);
    }

    /** The topics the relay publishes to: every topic an outbox row may name, and its dead-letter topic. */
    static Set<String> publishedByRelay() {
        Set<String> topics = new TreeSet<>(constants().values());
        topics.add(relayDeadLetterTopic());
        return topics;
    }

    /** Every topic in use: published by the relay or used by a service's channels. */
    static Set<String> all(Map<String, ServiceConfig> services) {
        Set<String> topics = new TreeSet<>(publishedByRelay());
        services.values().forEach(s -> topics.addAll(s.channelTopics()));
        return topics;
    }
}
