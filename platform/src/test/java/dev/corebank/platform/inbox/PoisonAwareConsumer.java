package dev.corebank.platform.inbox;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** A consumer as a service writes one: its effect is a row; a record saying "poison" always fails. */
@ApplicationScoped
public class PoisonAwareConsumer {

    static final String NAME = "inbox-test";

    private final Inbox inbox;

    PoisonAwareConsumer(Inbox inbox) {
        this.inbox = inbox;
    }

    @Incoming(NAME)
    Uni<Void> consume(ConsumerRecord<String, String> record) {
        return inbox.process(NAME, record, tx -> "poison".equals(record.value())
                ? Uni.createFrom().failure(new IllegalStateException("cannot digest " + record.value()))
                : tx.preparedQuery("INSERT INTO inbox_effects (consumer, message_id, body) VALUES ($1, $2, $3)")
                        .execute(Tuple.of(NAME, Inbox.messageId(record), record.value()))
                        .replaceWithVoid());
    }
}
