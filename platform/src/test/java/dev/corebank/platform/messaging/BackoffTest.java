package dev.corebank.platform.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(2));

    @Test
    void the_wait_doubles_with_each_resend_up_to_the_maximum() {
        assertEquals(Duration.ofSeconds(10), backoff.waitAfter(0));
        assertEquals(Duration.ofSeconds(20), backoff.waitAfter(1));
        assertEquals(Duration.ofSeconds(80), backoff.waitAfter(3));
        assertEquals(Duration.ofMinutes(2), backoff.waitAfter(4));
        assertEquals(Duration.ofMinutes(2), backoff.waitAfter(Integer.MAX_VALUE), "no overflow, however many");
    }

    @Test
    void a_backoff_must_wait_and_its_maximum_cannot_be_below_its_first_wait() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }
}
