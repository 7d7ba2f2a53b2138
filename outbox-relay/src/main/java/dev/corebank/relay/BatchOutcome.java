package dev.corebank.relay;

import dev.corebank.relay.publish.KafkaPublisher;
import dev.corebank.relay.source.OutboxRow;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a published batch did to each of its lanes, from the broker's answer for every row sent. A lane moves
 * up to its first row that failed for a reason a retry may cure; the rows before it that will never be
 * published are dead-lettered. Of the lanes stopped that way, those whose own row was refused are to blame;
 * those whose rows were only left unsent behind another lane's refusal ({@link KafkaPublisher#notSent}) are
 * not, and go again at once.
 *
 * <p>When every row sent failed, and they came from more than one lane, the broker as a whole is the likelier
 * cause (away, or overloaded): then no lane is blamed and the round fails as one.
 *
 * @param advanced    per lane, the last seq now on the broker or dead-lettered
 * @param unpublishable rows before their lane's stop that the broker will never take, with why
 * @param notAllowed  rows before their lane's stop whose topic their source may not write
 * @param refused     per lane to blame, its row's refusal
 * @param held        lanes stopped only because another lane's row was refused first
 * @param published   rows now on the broker or dead-lettered
 * @param acknowledged rows the broker acknowledged
 */
record BatchOutcome(Map<Integer, Long> advanced, Map<OutboxRow, Throwable> unpublishable, List<OutboxRow> notAllowed,
        Map<Integer, Throwable> refused, Set<Integer> held, int published, int acknowledged) {

    /**
     * @param rows     the batch as read, in seq order
     * @param failures each row's failure (null: acknowledged), by identity; rows not in it were not sent, their
     *                 topic being outside what their source may write
     */
    static BatchOutcome of(List<OutboxRow> rows, Map<OutboxRow, Throwable> failures) {
        Map<Integer, List<OutboxRow>> byLane = new TreeMap<>();
        rows.forEach(row -> byLane.computeIfAbsent(row.lane(), lane -> new ArrayList<>()).add(row));
        Map<Integer, Long> advanced = new TreeMap<>();
        Map<OutboxRow, Throwable> unpublishable = new IdentityHashMap<>();
        List<OutboxRow> notAllowed = new ArrayList<>();
        Map<Integer, Throwable> refused = new TreeMap<>();
        Set<Integer> held = new TreeSet<>();
        int published = 0;
        int acknowledged = 0;
        for (Map.Entry<Integer, List<OutboxRow>> lane : byLane.entrySet()) {
            for (OutboxRow row : lane.getValue()) {
                Throwable failure = failures.get(row);
                if (failure != null && !KafkaPublisher.unpublishable(failure)) {
                    if (KafkaPublisher.notSent(failure)) {
                        held.add(lane.getKey());
                    } else {
                        refused.put(lane.getKey(), failure);
                    }
                    break;
                }
                if (!failures.containsKey(row)) {
                    notAllowed.add(row);
                } else if (failure != null) {
                    unpublishable.put(row, failure);
                } else {
                    acknowledged++;
                }
                advanced.put(lane.getKey(), row.seq());
                published++;
            }
        }
        return new BatchOutcome(advanced, unpublishable, notAllowed, refused, held, published, acknowledged);
    }

    /** Every row sent failed, and they came from more than one lane: the broker's failure, not a lane's. */
    boolean brokerWide() {
        return acknowledged == 0 && refused.size() > 1;
    }

    /** Why the round failed as one (see {@link #brokerWide()}). */
    Throwable firstRefusal() {
        return refused.values().iterator().next();
    }
}
