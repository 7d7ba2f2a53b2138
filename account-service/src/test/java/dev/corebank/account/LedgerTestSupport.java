package dev.corebank.account;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corebank.messages.ledger.AccountChanged;
import dev.corebank.messages.ledger.LedgerCommand;
import dev.corebank.outbox.CloudEvents;
import dev.corebank.platform.id.UuidV7;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What the ledger's tests do over and over: open and fund accounts over HTTP, send commands to the real
 * command topic the way the relay would (CloudEvents headers), and wait for the ledger's answers.
 */
@Singleton
public class LedgerTestSupport {

    private final Pool pool;
    private final ObjectMapper json;
    private final String commandTopic;
    private final String accountsTopic;
    private final KafkaProducer<String, String> producer;

    public LedgerTestSupport(Pool pool, ObjectMapper json,
            @ConfigProperty(name = "corebank.ledger.topics.commands") String commandTopic,
            @ConfigProperty(name = "corebank.ledger.topics.accounts") String accountsTopic,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.pool = pool;
        this.json = json;
        this.commandTopic = commandTopic;
        this.accountsTopic = accountsTopic;
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }

    public String commandTopic() {
        return commandTopic;
    }

    /** Opens an account over HTTP; returns its id. */
    public UUID open(String currency, long overdraftLimit) {
        String id = given().contentType(ContentType.JSON)
                .body(Map.of("ownerId", "owner-" + UUID.randomUUID(), "currency", currency, "overdraftLimit", overdraftLimit))
                .post("/accounts")
                .then().statusCode(201)
                .extract().path("id");
        return UUID.fromString(id);
    }

    /** Deposits over HTTP under a fresh Idempotency-Key. */
    public void deposit(UUID account, long amount) {
        given().contentType(ContentType.JSON)
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("amount", amount))
                .post("/accounts/{id}/deposits", account)
                .then().statusCode(201);
    }

    /** Sends a command as a new message (fresh CloudEvents id); returns that message id. */
    public UUID send(LedgerCommand command) {
        return send(command, UuidV7.next());
    }

    /** Sends a command under a given message id: the same id again is a redelivery. */
    public UUID send(LedgerCommand command, UUID messageId) {
        return sendAs(command, messageId, CloudEvents.sourceOf(command instanceof LedgerCommand.TransferFunds
                ? "transfers" : "orders"));
    }

    /**
     * Sends a command as if relayed from the outbox whose {@code ce_source} is {@code source} (none if null),
     * as a new message; returns its message id. The relay stamps the real sender's; a forger chooses any.
     */
    public UUID sendAs(LedgerCommand command, String source) {
        return sendAs(command, UuidV7.next(), source);
    }

    private UUID sendAs(LedgerCommand command, UUID messageId, String source) {
        try {
            ProducerRecord<String, String> record = new ProducerRecord<>(commandTopic, command.commandId().toString(),
                    json.writeValueAsString(command));
            record.headers().add(CloudEvents.ID, bytes(messageId.toString()));
            record.headers().add(CloudEvents.TYPE, bytes(command.getClass().getSimpleName()));
            if (source != null) {
                record.headers().add(CloudEvents.SOURCE, bytes(source));
            }
            producer.send(record);
            return messageId;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public void sendRaw(String key, String value, Map<String, String> headers) {
        ProducerRecord<String, String> record = new ProducerRecord<>(commandTopic, key, value);
        headers.forEach((name, header) -> record.headers().add(name, bytes(header)));
        producer.send(record);
    }

    /** Puts {@code state} on the accounts topic, as the ledger's relayed AccountChanged events arrive there. */
    public void publishAccountState(AccountChanged state) {
        try {
            producer.send(new ProducerRecord<>(accountsTopic, state.accountId().toString(), json.writeValueAsString(state)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public void flush() {
        producer.flush();
    }

    /** The ledger's answers to {@code commandIds}, waiting until there is one for each. */
    public Map<UUID, Reply> awaitReplies(Collection<UUID> commandIds, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        flush();
        while (true) {
            Map<UUID, Reply> replies = replies(commandIds);
            if (replies.size() == commandIds.size()) {
                return replies;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + replies.size() + " of " + commandIds.size() + " commands answered within " + timeout);
            }
            sleep(100);
        }
    }

    public Reply awaitReply(UUID commandId) {
        return awaitReplies(java.util.List.of(commandId), Duration.ofSeconds(30)).get(commandId);
    }

    public Map<UUID, Reply> replies(Collection<UUID> commandIds) {
        Map<UUID, Reply> replies = new HashMap<>();
        pool.preparedQuery("SELECT id, reply_id, reply_type, reply::text AS reply FROM commands WHERE id = ANY($1)")
                .execute(Tuple.of(commandIds.toArray(UUID[]::new)))
                .await().atMost(Duration.ofSeconds(10))
                .forEach(row -> replies.put(row.getUUID("id"), Reply.from(row, json)));
        return replies;
    }

    /** How many times the reply event {@code replyId} was appended to the outbox. */
    public long timesSent(UUID replyId) {
        return single("SELECT count(*) FROM outbox WHERE id = $1", replyId);
    }

    public long single(String sql, Object... args) {
        return pool.preparedQuery(sql)
                .execute(Tuple.from(args))
                .await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong(0);
    }

    public Row row(String sql, Object... args) {
        return pool.preparedQuery(sql)
                .execute(Tuple.from(args))
                .await().atMost(Duration.ofSeconds(10))
                .iterator().next();
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** An answer as stored: the reply event's id, type and payload. */
    public record Reply(UUID replyId, String type, JsonNode payload) {

        static Reply from(Row row, ObjectMapper json) {
            try {
                return new Reply(row.getUUID("reply_id"), row.getString("reply_type"), json.readTree(row.getString("reply")));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        public String reason() {
            return payload.path("reason").asText(null);
        }
    }
}
