package dev.corebank.platform.messaging;

import dev.corebank.base.db.DatabaseFailures;
import dev.corebank.platform.inbox.InboxConfig;
import io.micrometer.core.instrument.Counter;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Applies what one poll of records said in one transaction, and never lets one record stop the ones behind it.
 * Records refused before applying (untrusted sender, unreadable) go to the dead-letter topic. The database away or
 * overloaded says nothing about the records: that is waited out ({@link OutageRetry}), holding the partitions. A batch
 * failing for a reason of its own is applied again one record at a time, each retried a few times and then
 * dead-lettered and counted as {@code failed}, so that the record at fault alone is set aside.
 *
 * @param <T> what a record says, as the applying step takes it
 */
public final class PoisonTolerantBatch<T> {

    /** A record and what it says. */
    public record Read<T>(ConsumerRecord<String, String> record, T value) {
    }

    /** A record that must not be applied, and why. */
    public record Refused(ConsumerRecord<String, String> record, RuntimeException reason) {
    }

    private final Function<List<T>, Uni<?>> apply;
    private final InboxConfig retries;
    private final OutageRetry outages;
    private final DeadLetterChannel deadLetters;
    private final Counter failed;

    /**
     * @param apply applies the values of a batch in one transaction
     * @param outages how the consumer waits while the database is away
     */
    public PoisonTolerantBatch(Function<List<T>, Uni<?>> apply, InboxConfig retries, OutageRetry outages,
            DeadLetterChannel deadLetters, Counter failed) {
        this.apply = apply;
        this.retries = retries;
        this.outages = outages;
        this.deadLetters = deadLetters;
        this.failed = failed;
    }

    /** Dead-letters {@code refused}, then applies {@code read}. */
    public Uni<Void> apply(Collection<Read<T>> read, List<Refused> refused) {
        return Multi.createFrom().iterable(refused)
                .onItem().transformToUniAndConcatenate(each -> deadLetters.send(each.record(), each.reason()))
                .collect().last()
                .chain(() -> applyAll(read));
    }

    private Uni<Void> applyAll(Collection<Read<T>> read) {
        if (read.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return patiently(apply.apply(read.stream().map(Read::value).toList()))
                .onFailure().recoverWithUni(failure -> oneByOne(read));
    }

    private Uni<Void> oneByOne(Collection<Read<T>> read) {
        return Multi.createFrom().iterable(read)
                .onItem().transformToUniAndConcatenate(each -> patiently(apply.apply(List.of(each.value())))
                        .onFailure().retry().withBackOff(retries.initialBackoff(), retries.maxBackoff())
                        .atMost(retries.maxRetries())
                        .onFailure().invoke(failure -> failed.increment())
                        .onFailure().recoverWithUni(failure -> deadLetters.send(each.record(), failure)))
                .collect().last()
                .replaceWithVoid();
    }

    private Uni<Void> patiently(Uni<?> applying) {
        return outages.patiently(applying, DatabaseFailures::unavailable).replaceWithVoid();
    }
}
