package dev.corebank.platform.messaging;

import dev.corebank.platform.inbox.MalformedMessage;
import dev.corebank.platform.messaging.PoisonTolerantBatch.Read;
import dev.corebank.platform.messaging.PoisonTolerantBatch.Refused;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * The reading half of a consumer of the ledger's replies, as a {@link PoisonTolerantBatch} takes them: a record
 * addressed to another service is passed over by its header, unparsed; one of a read type from a sender not
 * trusted for it is refused (see {@link SenderCheck}); one that does not parse is refused and counted as
 * {@code <prefix>.ledger_replies.unreadable}; the rest are decoded.
 *
 * @param <T> what a reply says, as the consumer applies it
 */
public final class ReplyReader<T> {

    /** One poll: what the replies said, in record order, and the records that must not be applied. */
    public record Poll<T>(List<Read<T>> read, List<Refused> refused) {
    }

    private final Optional<String> self;
    private final SenderCheck senders;
    private final Counter unreadable;
    private final Function<ConsumerRecord<String, String>, Optional<T>> decode;

    /**
     * @param consumer names the consumer in metrics, e.g. {@code order-ledger-replies}
     * @param prefix   the service's metric prefix, e.g. {@code orders}
     * @param types    the {@code ce_type}s read; each must come from one of {@code senders}
     * @param self     this service's outbox source name: replies addressed to others are passed over
     * @param decode   what a record says, empty for one of no interest; throws {@link MalformedMessage} if it
     *                 does not parse
     */
    public ReplyReader(String consumer, String prefix, Collection<String> types, Collection<String> senders,
            Optional<String> self, MeterRegistry registry, Function<ConsumerRecord<String, String>, Optional<T>> decode) {
        this.self = self;
        this.senders = new SenderCheck(consumer,
                types.stream().collect(Collectors.toMap(type -> type, type -> senders)), self, registry);
        this.unreadable = Counter.builder(prefix + ".ledger_replies.unreadable")
                .description("Ledger replies of a type this service reads that did not parse (dead-lettered)")
                .register(registry);
        this.decode = decode;
    }

    public Poll<T> read(ConsumerRecords<String, String> records) {
        List<Read<T>> read = new ArrayList<>();
        List<Refused> refused = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            if (!CloudEventDecoder.addressedTo(record, self)) {
                continue;
            }
            try {
                senders.require(record);
                decode.apply(record).ifPresent(value -> read.add(new Read<>(record, value)));
            } catch (UntrustedSender e) {
                refused.add(new Refused(record, e));
            } catch (MalformedMessage e) {
                unreadable.increment();
                refused.add(new Refused(record, e));
            }
        }
        return new Poll<>(read, refused);
    }

    /** The subset of {@code types} (ce_type → class) whose classes are among {@code wanted}. */
    public static <E> Map<String, Class<? extends E>> typesOf(Map<String, Class<? extends E>> types,
            Collection<Class<? extends E>> wanted) {
        return types.entrySet().stream()
                .filter(type -> wanted.contains(type.getValue()))
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
