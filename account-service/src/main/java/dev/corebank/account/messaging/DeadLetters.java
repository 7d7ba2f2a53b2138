package dev.corebank.account.messaging;

import dev.corebank.platform.messaging.DeadLetterChannel;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Sends a command the ledger must not apply (malformed, from a sender not allowed to send it, or failing beyond
 * retries) to {@code ledger.commands.dlt}, with the same {@code dead-letter-*} headers the connector's own
 * dead-letter strategy writes. The batch consumer acknowledges the command only after the broker took it.
 */
@Singleton
public class DeadLetters {

    private final DeadLetterChannel channel;

    public DeadLetters(@Channel("ledger-commands-dlt") MutinyEmitter<String> emitter) {
        this.channel = new DeadLetterChannel(emitter, "account-service");
    }

    public Uni<Void> send(ConsumerRecord<String, String> record, Throwable reason) {
        return channel.send(record, reason);
    }
}
