package dev.corebank.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A service whose Redis is gone: readiness says so, naming Redis. A service's test extends this under
 * {@code @TestProfile(RedisOutageContract.RedisGone.class)} and adds what must still work without Redis.
 */
public abstract class RedisOutageContract {

    /** Points the service at a Redis that is not there. */
    public static class RedisGone implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Nothing listens on port 1: as if the Redis server were down.
            return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:1");
        }
    }

    @Test
    void readiness_is_down_naming_redis() {
        Response ready = given().when().get("/q/health/ready");

        assertEquals(503, ready.statusCode(), ready.asString());
        assertEquals("DOWN", ready.jsonPath().getString("checks.find { it.name == 'Redis connection health check' }.status"));
    }
}
