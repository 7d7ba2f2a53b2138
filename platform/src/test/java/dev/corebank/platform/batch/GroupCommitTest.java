package dev.corebank.platform.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Work that answers each item doubled once the test releases the batch, recording every batch it got. */
    private static final class HeldWork implements Function<List<Integer>, Uni<List<Integer>>> {

        final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
        final List<CompletableFuture<Void>> releases = new CopyOnWriteArrayList<>();

        @Override
        public Uni<List<Integer>> apply(List<Integer> batch) {
            batches.add(batch);
            CompletableFuture<Void> release = new CompletableFuture<>();
            releases.add(release);
            return Uni.createFrom().completionStage(release).replaceWith(batch.stream().map(i -> i * 2).toList());
        }

        void release(int batch) {
            releases.get(batch).complete(null);
        }
    }

    @Test
    void an_item_submitted_while_a_slot_is_free_runs_at_once_alone() {
        HeldWork work = new HeldWork();
        GroupCommit<Integer, Integer> commit = new GroupCommit<>("test", 10, 2, 1000, new SimpleMeterRegistry(), work);

        CompletableFuture<Integer> first = commit.submit(1).subscribeAsCompletionStage();

        assertEquals(List.of(List.of(1)), work.batches);
        work.release(0);
        assertEquals(2, first.join());
    }

    @Test
    void items_queued_while_every_slot_is_busy_go_together_in_order_up_to_the_largest_batch() {
        HeldWork work = new HeldWork();
        GroupCommit<Integer, Integer> commit = new GroupCommit<>("test", 4, 1, 1000, new SimpleMeterRegistry(), work);
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            results.add(commit.submit(i).subscribeAsCompletionStage());
        }
        assertEquals(List.of(List.of(0)), work.batches, "one slot: the others wait");

        work.release(0);
        assertEquals(List.of(1, 2, 3, 4), work.batches.get(1));
        work.release(1);
        assertEquals(List.of(5, 6, 7, 8), work.batches.get(2));
        work.release(2);
        assertEquals(List.of(9, 10), work.batches.get(3));
        work.release(3);

        for (int i = 0; i < 11; i++) {
            assertEquals(i * 2, results.get(i).join(), "item " + i + " gets its own result");
        }
        assertEquals(4, work.batches.size());
    }

    @Test
    void a_failed_batch_is_run_again_item_by_item_so_only_the_bad_item_fails() {
        List<List<Integer>> batches = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> gate = new CompletableFuture<>();
        GroupCommit<Integer, Integer> commit = new GroupCommit<>("test", 10, 1, 1000, new SimpleMeterRegistry(), batch -> {
            batches.add(batch);
            if (batch.equals(List.of(0))) {
                return Uni.createFrom().completionStage(gate).replaceWith(List.of(0));
            }
            return batch.contains(13)
                    ? Uni.createFrom().failure(new IllegalArgumentException("13 is bad"))
                    : Uni.createFrom().item(batch.stream().map(i -> -i).toList());
        });
        CompletableFuture<Integer> holder = commit.submit(0).subscribeAsCompletionStage();
        CompletableFuture<Integer> good = commit.submit(12).subscribeAsCompletionStage();
        CompletableFuture<Integer> bad = commit.submit(13).subscribeAsCompletionStage();
        CompletableFuture<Integer> alsoGood = commit.submit(14).subscribeAsCompletionStage();

        gate.complete(null);

        assertEquals(0, holder.join());
        assertEquals(-12, good.join());
        assertEquals(-14, alsoGood.join());
        Exception failure = assertThrows(Exception.class, bad::join);
        assertTrue(String.valueOf(failure.getCause()).contains("13 is bad"), failure.toString());
        assertEquals(List.of(List.of(0), List.of(12, 13, 14), List.of(12), List.of(13), List.of(14)), batches);
    }

    @Test
    void work_that_throws_or_answers_the_wrong_number_of_results_fails_its_callers_and_frees_the_slot() {
        AtomicInteger calls = new AtomicInteger();
        GroupCommit<Integer, Integer> commit = new GroupCommit<>("test", 10, 1, 1000, new SimpleMeterRegistry(), batch -> {
            switch (calls.incrementAndGet()) {
                case 1:
                    throw new IllegalStateException("thrown, not failed");
                case 2:
                    return Uni.createFrom().item(List.of());
                default:
                    return Uni.createFrom().item(batch);
            }
        });

        assertThrows(IllegalStateException.class, () -> commit.submit(1).await().atMost(WAIT));
        assertThrows(IllegalStateException.class, () -> commit.submit(2).await().atMost(WAIT));
        assertEquals(3, commit.submit(3).await().atMost(WAIT), "the slot is free again");
    }

    @Test
    void many_threads_submitting_at_once_all_get_their_results_and_never_exceed_the_slots() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostRunning = new AtomicInteger();
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        ExecutorService workers = Executors.newFixedThreadPool(4);
        GroupCommit<Integer, Integer> commit = new GroupCommit<>("test", 50, 3, 16_000, new SimpleMeterRegistry(), batch -> {
            mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            sizes.add(batch.size());
            return Uni.createFrom().item(batch).emitOn(workers).invoke(running::decrementAndGet);
        });
        ExecutorService submitters = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Void>> results = new CopyOnWriteArrayList<>();
            CompletableFuture.allOf(IntStream.range(0, 8).mapToObj(t -> CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 2_000; i++) {
                    int item = t * 10_000 + i;
                    results.add(commit.submit(item).subscribeAsCompletionStage()
                            .thenAccept(result -> assertEquals(item, result)));
                }
            }, submitters)).toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

            CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertEquals(16_000, results.size());
            assertEquals(16_000, sizes.stream().mapToInt(Integer::intValue).sum(), "every item in exactly one batch");
            assertTrue(mostRunning.get() <= 3, "at most 3 batches at once, saw " + mostRunning.get());
        } finally {
            submitters.shutdownNow();
            workers.shutdownNow();
        }
    }

    @Test
    void a_full_queue_refuses_new_items_at_once_and_takes_them_again_once_it_drains() {
        HeldWork work = new HeldWork();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        GroupCommit<Integer, Integer> commit = new GroupCommit<>("bounded", 10, 1, 3, registry, work);
        CompletableFuture<Integer> running = commit.submit(0).subscribeAsCompletionStage();
        List<CompletableFuture<Integer>> queued = IntStream.rangeClosed(1, 3)
                .mapToObj(i -> commit.submit(i).subscribeAsCompletionStage())
                .toList();

        CompletableFuture<Integer> refused = commit.submit(4).subscribeAsCompletionStage();

        assertTrue(refused.isCompletedExceptionally(), "refused at once, not queued");
        Throwable failure = assertThrows(Exception.class, refused::join).getCause();
        assertTrue(failure instanceof QueueFull, "a QueueFull, not " + failure);
        assertTrue(failure.getMessage().contains("bounded: 3 queued"), failure.getMessage());
        assertEquals(1.0, registry.counter("group.commit.refused", "batch", "bounded").count());
        assertEquals(3.0, registry.get("group.commit.queued").tag("batch", "bounded").gauge().value());
        assertEquals(List.of(List.of(0)), work.batches, "the refused item never reached the work");

        work.release(0);
        assertEquals(List.of(1, 2, 3), work.batches.get(1), "the queued items still run, together");
        assertEquals(0.0, registry.get("group.commit.queued").tag("batch", "bounded").gauge().value());
        CompletableFuture<Integer> later = commit.submit(5).subscribeAsCompletionStage();
        work.release(1);
        work.release(2);
        assertEquals(0, running.join());
        assertEquals(List.of(2, 4, 6), queued.stream().map(CompletableFuture::join).toList());
        assertEquals(10, later.join(), "room again once the queue drained");
    }

    @Test
    void a_queue_bound_below_one_is_refused() {
        assertThrows(IllegalArgumentException.class,
                () -> new GroupCommit<Integer, Integer>("test", 10, 1, 0, new SimpleMeterRegistry(), new HeldWork()));
    }
}
