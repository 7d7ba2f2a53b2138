package dev.corebank.account.ledger;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The {@code commands} table: every command answered, with its answer. */
@Singleton
public class AnswerRepository {

    private static final String FIND = """
            SELECT id, kind, fingerprint, reply_id, reply_type, reply::text AS reply FROM commands WHERE id = ANY($1)""";
    private static final String INSERT = """
            INSERT INTO commands (id, kind, fingerprint, reply_id, reply_type, reply)
            SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::text[]::jsonb[])""";

    public Uni<Map<UUID, Answer>> find(SqlClient client, Collection<UUID> commandIds) {
        return client.preparedQuery(FIND)
                .execute(Tuple.of(commandIds.toArray(UUID[]::new)))
                .map(rows -> {
                    Map<UUID, Answer> answers = new HashMap<>();
                    rows.forEach(row -> answers.put(row.getUUID("id"), from(row)));
                    return answers;
                });
    }

    /** Records answers; a command id answered before makes the whole transaction fail (primary key). */
    public Uni<Void> insert(SqlConnection tx, List<Answer> answers) {
        if (answers.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = answers.size();
        UUID[] ids = new UUID[n];
        String[] kinds = new String[n];
        String[] fingerprints = new String[n];
        UUID[] replyIds = new UUID[n];
        String[] replyTypes = new String[n];
        String[] replies = new String[n];
        for (int i = 0; i < n; i++) {
            Answer answer = answers.get(i);
            ids[i] = answer.commandId();
            kinds[i] = answer.kind();
            fingerprints[i] = answer.fingerprint();
            replyIds[i] = answer.replyId();
            replyTypes[i] = answer.replyType();
            replies[i] = answer.reply();
        }
        return tx.preparedQuery(INSERT)
                .execute(Tuple.of(ids, kinds, fingerprints, replyIds, replyTypes, replies))
                .replaceWithVoid();
    }

    private static Answer from(Row row) {
        return new Answer(row.getUUID("id"), row.getString("kind"), row.getString("fingerprint"),
                row.getUUID("reply_id"), row.getString("reply_type"), row.getString("reply"));
    }
}
