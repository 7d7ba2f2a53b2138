package dev.corebank.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * What every service promises about bad input: each request of a corpus is answered with its 4xx status as
 * RFC 9457 problem+json (status, an https type, a detail), and writes nothing (what {@code snapshot} reads of
 * the service's state is the same after it as before).
 */
public final class BadInputContract {

    /** A bad request and the status it must get. */
    public record Case(String name, int status, Supplier<Response> request) {
    }

    private BadInputContract() {
    }

    /** One dynamic test per case. */
    public static Stream<DynamicTest> check(List<Case> corpus, Supplier<?> snapshot) {
        return corpus.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Object before = snapshot.get();
            Response response = c.request().get();
            assertEquals(c.status(), response.statusCode(), c.name() + ": " + response.asString());
            assertTrue(response.contentType().startsWith("application/problem+json"), c.name() + ": " + response.contentType());
            assertEquals(c.status(), response.jsonPath().getInt("status"), response.asString());
            assertTrue(response.jsonPath().getString("type").startsWith("https://"), response.asString());
            assertFalse(response.jsonPath().getString("detail").isBlank(), response.asString());
            assertEquals(before, snapshot.get(), c.name() + " changed nothing");
        }));
    }
}
