package dev.corebank.platform.messaging;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.corebank.outbox.CloudEvents;
import dev.corebank.platform.inbox.MalformedMessage;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Reads a relayed Kafka record (CloudEvents binary mode) as one of a family of message records, chosen by its
 * {@code ce_type}: the one decoder every consumer uses. Unknown payload fields are ignored (a newer sender
 * may add some); a missing required field fails in the record's constructor and makes the message malformed.
 */
@Singleton
public class CloudEventDecoder {

    private final ObjectMapper json;

    public CloudEventDecoder(ObjectMapper json) {
        this.json = json;
    }

    /**
     * The record as the type its {@code ce_type} names among {@code types}; empty when the record has a type
     * that is not among them (a message for someone else), without reading its payload.
     *
     * @throws MalformedMessage when the record has no type, no payload, or a payload that does not parse as
     *                          the type it names
     */
    public <T> Optional<T> decode(ConsumerRecord<?, String> record, Map<String, ? extends Class<? extends T>> types) {
        String type = header(record, CloudEvents.TYPE)
                .orElseThrow(() -> new MalformedMessage(where(record) + " has no " + CloudEvents.TYPE + " header"));
        Class<? extends T> target = types.get(type);
        if (target == null) {
            return Optional.empty();
        }
        if (record.value() == null) {
            throw new MalformedMessage(type + " at " + where(record) + " has no payload");
        }
        try {
            ObjectReader reader = json.readerFor(target).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
            T message = reader.readValue(record.value());
            if (message == null) {
                throw new MalformedMessage(type + " at " + where(record) + " has a null payload");
            }
            return Optional.of(message);
        } catch (MalformedMessage e) {
            throw e;
        } catch (Exception e) {
            throw new MalformedMessage(type + " at " + where(record) + " does not parse: " + e.getMessage(), e);
        }
    }

    /**
     * Whether a reply is for the service whose outbox the relay calls {@code sourceName}: addressed to it, or
     * to nobody in particular (see {@link CloudEvents#RECIPIENT}). A service that does not know its source
     * name reads everything.
     */
    public static boolean addressedTo(ConsumerRecord<?, ?> record, Optional<String> sourceName) {
        if (sourceName.isEmpty()) {
            return true;
        }
        return header(record, CloudEvents.RECIPIENT).map(CloudEvents.sourceOf(sourceName.get())::equals).orElse(true);
    }

    /** A header's value as text. */
    public static Optional<String> header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? Optional.empty() : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    private static String where(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
