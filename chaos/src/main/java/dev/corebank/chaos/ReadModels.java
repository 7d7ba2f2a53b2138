package dev.corebank.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The Redis read models as they stand ({@code corebank:account:<id>} and {@code corebank:order:<id>}, each a hash
 * of {@code version} and {@code state}, docs/api/ledger.md and orders.md), read in pipelined batches.
 */
final class ReadModels implements AutoCloseable {

    /** A read model's copy of one document; {@code state} is its JSON. */
    record Copy(long version, JsonNode state) {
    }

    private static final int BATCH = 500;

    private final Vertx vertx = Vertx.vertx();
    private final Redis redis = Redis.createClient(vertx, new RedisOptions()
            .setConnectionString(System.getProperty("chaos.redis", "redis://127.0.0.1:6379")));

    Map<UUID, Copy> accounts(List<UUID> ids) throws Exception {
        return read("corebank:account:", ids);
    }

    Map<UUID, Copy> orders(List<UUID> ids) throws Exception {
        return read("corebank:order:", ids);
    }

    private Map<UUID, Copy> read(String prefix, List<UUID> ids) throws Exception {
        Map<UUID, Copy> copies = new HashMap<>();
        for (int from = 0; from < ids.size(); from += BATCH) {
            List<UUID> batch = ids.subList(from, Math.min(ids.size(), from + BATCH));
            List<io.vertx.redis.client.Request> commands = new ArrayList<>();
            for (UUID id : batch) {
                commands.add(io.vertx.redis.client.Request.cmd(Command.HMGET).arg(prefix + id).arg("version").arg("state"));
            }
            List<Response> replies = redis.batch(commands).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            for (int i = 0; i < batch.size(); i++) {
                Response reply = replies.get(i);
                if (reply != null && reply.get(0) != null && reply.get(1) != null) {
                    copies.put(batch.get(i), new Copy(reply.get(0).toLong(), parse(reply.get(1).toString())));
                }
            }
        }
        return copies;
    }

    private static JsonNode parse(String state) {
        try {
            return Http.JSON.readTree(state);
        } catch (IOException e) {
            return Http.JSON.missingNode();
        }
    }

    @Override
    public void close() {
        redis.close();
        vertx.close();
    }
}
