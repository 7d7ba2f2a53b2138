package dev.corebank.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corebank.testing.Tokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The blocking HTTP calls of the suite's set-up and checks (opening accounts, health, trial balance), each with a
 * timeout. The load itself goes through {@link Load}'s non-blocking client.
 */
final class Http {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Staff: opens and funds any customer's accounts and reads the books, as in the docs' walkthroughs. */
    static final String AUTHORIZATION = Tokens.bearer(Tokens.mint("chaos", "teller", "operator"));
    static final String ACCOUNTS = "http://127.0.0.1:8081";
    static final String TRANSFERS = "http://127.0.0.1:8082";
    static final String ORDERS = "http://127.0.0.1:8083";
    static final String RELAY = "http://127.0.0.1:8084";
    static final Map<String, String> SERVICES = Map.of("account-service", ACCOUNTS, "transfer-service", TRANSFERS,
            "order-saga-service", ORDERS, "outbox-relay", RELAY);

    /** An answer: status and body, or the failure that stood in for one. */
    record Answer(int status, String body, String failure) {

        boolean is(int expected) {
            return status == expected;
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                return JSON.missingNode();
            }
        }

        @Override
        public String toString() {
            return failure != null ? failure : status + " " + (body.length() > 200 ? body.substring(0, 200) + "..." : body);
        }
    }

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Http() {
    }

    static Answer get(String url, Duration timeout) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).header("Authorization", AUTHORIZATION).GET());
    }

    static Answer post(String url, Object body, Map<String, String> headers, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(timeout)
                .header("Authorization", AUTHORIZATION)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(body)));
        headers.forEach(request::header);
        return send(request);
    }

    static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException("a request body always serializes", e);
        }
    }

    private static Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), null);
        } catch (IOException e) {
            return new Answer(0, "", e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, "", "interrupted");
        }
    }
}
