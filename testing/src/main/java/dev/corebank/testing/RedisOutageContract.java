package dev.corebank.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A service whose Redis is gone stays ready, because it still serves every request, and its readiness says
 * Redis did not answer and what the pod serves without it. A service's test extends this under
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
    void readiness_stays_up_and_says_redis_is_unreachable_and_what_is_degraded() {
        Response ready = given().when().get("/q/health/ready");

        assertEquals(200, ready.statusCode(), ready.asString());
        String redis = "checks.find { it.name == '" + OperabilityContract.REDIS + "' }";
        assertEquals("UP", ready.jsonPath().getString(redis + ".status"), ready.asString());
        assertEquals(false, ready.jsonPath().getBoolean(redis + ".data.reachable"), ready.asString());
        assertFalse(ready.jsonPath().getString(redis + ".data.degraded").isBlank(), ready.asString());
    }

    @Test
    void liveness_stays_up() {
        given().when().get("/q/health/live").then().statusCode(200);
    }
}
