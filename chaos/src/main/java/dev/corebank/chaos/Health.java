package dev.corebank.chaos;

import dev.corebank.chaos.Http.Answer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Whether every process of the stack is live and ready, as a probe (or an operator with curl) sees it. */
final class Health {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private Health() {
    }

    /** What is not live or not ready, one line each; empty when all is well. */
    static List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> service : new TreeMap<>(Http.SERVICES).entrySet()) {
            for (String probe : List.of("live", "ready")) {
                Answer answer = Http.get(service.getValue() + "/q/health/" + probe, TIMEOUT);
                if (!answer.is(200)) {
                    problems.add(service.getKey() + " " + probe + ": " + summary(answer));
                }
            }
        }
        try (Socket kafka = new Socket()) {
            kafka.connect(new InetSocketAddress("127.0.0.1", 9092), (int) TIMEOUT.toMillis());
        } catch (IOException e) {
            problems.add("kafka :9092: " + e.getMessage());
        }
        return problems;
    }

    /** The status and the checks that are DOWN, e.g. {@code 503 (Kafka cluster DOWN)}. */
    private static String summary(Answer answer) {
        if (answer.failure() != null) {
            return answer.failure();
        }
        List<String> down = new ArrayList<>();
        answer.json().path("checks").forEach(check -> {
            if (!"UP".equals(check.path("status").asText())) {
                down.add(check.path("name").asText() + " " + check.path("status").asText());
            }
        });
        return answer.status() + (down.isEmpty() ? "" : " (" + String.join(", ", down) + ")");
    }
}
