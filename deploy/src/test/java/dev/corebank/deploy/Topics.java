package dev.corebank.deploy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The topics the system uses, from the code that names them. */
final class Topics {

    private static final Pattern RELAY_DEAD_LETTERS = Pattern.compile(
            "@WithDefault\\(\"([^\"]+)\"\\)\\s*String deadLetterTopic\\(\\)");

    private Topics() {
    }

    /** dev.corebank.messages.Topics' constants that name a topic (not the dead-letter suffix). */
    static Map<String, String> constants() {
        Map<String, String> constants = new TreeMap<>();
        for (Field field : dev.corebank.messages.Topics.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class
                    && !field.getName().endsWith("_SUFFIX")) {
                try {
                    constants.put(field.getName(), (String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
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
