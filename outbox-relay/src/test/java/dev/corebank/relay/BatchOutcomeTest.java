package dev.corebank.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corebank.relay.publish.KafkaPublisher;
import dev.corebank.relay.source.OutboxRow;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/** Which lanes of a published batch move on, which are to blame, and when the broker as a whole is. */
class BatchOutcomeTest {

    @Test
    void a_lane_whose_own_row_was_refused_stops_before_it_and_is_blamed_while_the_others_move_on() {
        OutboxRow a1 = row(1, 3);
        OutboxRow b1 = row(2, 5);
        OutboxRow a2 = row(3, 3);
        OutboxRow b2 = row(4, 5);
        Map<OutboxRow, Throwable> failures = failures(a1, null, b1, null, a2, new TopicAuthorizationException("acl"),
                b2, null);

        BatchOutcome outcome = BatchOutcome.of(List.of(a1, b1, a2, b2), failures);

        assertEquals(Map.of(3, 1L, 5, 4L), outcome.advanced(), "lane 3 up to its refused row, lane 5 to its end");
        assertEquals(Set.of(3), outcome.refused().keySet());
        assertTrue(outcome.held().isEmpty());
        assertFalse(outcome.brokerWide());
        assertEquals(3, outcome.published());
    }

    @Test
    void lanes_left_unsent_behind_a_refusal_are_held_not_blamed() {
        OutboxRow a1 = row(1, 3);
        OutboxRow b1 = row(2, 5);
        TimeoutException missingTopic = new TimeoutException("Topic t not present in metadata after 10000 ms.");
        Map<OutboxRow, Throwable> failures = failures(a1, missingTopic, b1, new KafkaPublisher.NotSent(missingTopic));

        BatchOutcome outcome = BatchOutcome.of(List.of(a1, b1), failures);

        assertEquals(Set.of(3), outcome.refused().keySet(), "the lane whose row the producer refused");
        assertEquals(Set.of(5), outcome.held(), "the lane that was only not sent");
        assertTrue(outcome.advanced().isEmpty());
        assertFalse(outcome.brokerWide(), "one lane refused is that lane's failure");
    }

    @Test
    void every_row_of_several_lanes_refused_is_the_brokers_failure_and_blames_no_lane() {
        OutboxRow a1 = row(1, 3);
        OutboxRow b1 = row(2, 5);
        Map<OutboxRow, Throwable> failures = failures(a1, new TimeoutException("expired"), b1,
                new TimeoutException("expired"));

        assertTrue(BatchOutcome.of(List.of(a1, b1), failures).brokerWide());
    }

    @Test
    void rows_never_to_be_published_before_a_lanes_stop_are_dead_lettered_and_passed_after_it_they_wait() {
        OutboxRow tooLarge = row(1, 3);
        OutboxRow notAllowed = row(2, 3);
        OutboxRow refused = row(3, 3);
        OutboxRow tooLargeAfter = row(4, 3);
        Map<OutboxRow, Throwable> failures = failures(tooLarge, new RecordTooLargeException("big"), refused,
                new TopicAuthorizationException("acl"), tooLargeAfter, new RecordTooLargeException("big"));

        BatchOutcome outcome = BatchOutcome.of(List.of(tooLarge, notAllowed, refused, tooLargeAfter), failures);

        assertEquals(Set.of(tooLarge), outcome.unpublishable().keySet());
        assertEquals(List.of(notAllowed), outcome.notAllowed());
        assertEquals(Map.of(3, 2L), outcome.advanced());
        assertEquals(Set.of(3), outcome.refused().keySet());
    }

    private static OutboxRow row(long seq, int lane) {
        return new OutboxRow(seq, UUID.randomUUID(), lane, "t", "Account", "a-" + lane, "AccountOpened", "{}",
                new JsonObject(), OffsetDateTime.now());
    }

    /** Rows and their failures in pairs (null: acknowledged); rows left out were not allowed, so never sent. */
    private static Map<OutboxRow, Throwable> failures(Object... pairs) {
        Map<OutboxRow, Throwable> failures = new IdentityHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            failures.put((OutboxRow) pairs[i], (Throwable) pairs[i + 1]);
        }
        return failures;
    }
}
