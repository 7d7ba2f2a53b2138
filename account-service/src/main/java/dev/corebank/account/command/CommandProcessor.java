package dev.corebank.account.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corebank.account.hold.Hold;
import dev.corebank.account.hold.HoldRepository;
import dev.corebank.account.ledger.Answer;
import dev.corebank.account.ledger.AnswerRepository;
import dev.corebank.account.ledger.Ledger;
import dev.corebank.account.ledger.LedgerBatch;
import dev.corebank.account.ledger.LedgerRejection;
import dev.corebank.messages.ledger.LedgerCommand;
import dev.corebank.messages.ledger.LedgerCommand.CaptureHold;
import dev.corebank.messages.ledger.LedgerCommand.PlaceHold;
import dev.corebank.messages.ledger.LedgerCommand.TransferFunds;
import dev.corebank.messages.ledger.LedgerCommand.VoidHold;
import dev.corebank.messages.ledger.LedgerEvent;
import dev.corebank.messages.ledger.LedgerEvent.HoldRejected;
import dev.corebank.messages.ledger.LedgerEvent.TransferRejected;
import dev.corebank.outbox.CloudEvents;
import dev.corebank.platform.id.UuidV7;
import dev.corebank.platform.inbox.Inbox;
import dev.corebank.platform.outbox.OutboxEvent;
import dev.corebank.platform.tx.Transactions;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Applies ledger commands many at a time: one transaction per batch, which locks every account the batch
 * touches once (ascending ids), applies the commands in arrival order in memory, and writes the outcome in
 * a few bulk statements. A hot account taking many credits is locked and written once per batch, not once
 * per command.
 *
 * <p>A command id answered before (in an earlier batch or earlier in this one) has no second effect: its
 * stored answer is sent again, with the same event id, so consumers deduplicate it too.
 */
@Singleton
public class CommandProcessor {

    /** The inbox's name for this consumer. */
    static final String CONSUMER = "account-service.ledger-commands";

    private static final String TRANSFER = "transfer";
    private static final String HOLD = "hold";

    private final Pool pool;
    private final Inbox inbox;
    private final Ledger ledger;
    private final HoldRepository holds;
    private final AnswerRepository answers;
    private final ObjectMapper json;
    private final MeterRegistry registry;
    private final DistributionSummary batchSizes;

    public CommandProcessor(Pool pool, Inbox inbox, Ledger ledger, HoldRepository holds, AnswerRepository answers,
            ObjectMapper json, MeterRegistry registry) {
        this.pool = pool;
        this.inbox = inbox;
        this.ledger = ledger;
        this.holds = holds;
        this.answers = answers;
        this.json = json;
        this.registry = registry;
        this.batchSizes = DistributionSummary.builder("ledger.batch.size")
                .description("Commands per ledger transaction (one Kafka poll's worth), committed")
                .register(registry);
    }

    /** Applies the commands in one transaction; fails as a whole, changing nothing, or commits them all. */
    public Uni<Void> apply(List<ReceivedCommand> received) {
        List<LedgerCommand> commands = received.stream().map(ReceivedCommand::command).toList();
        // The inbox claim goes out together with the reads and locks for every command received: a redelivered
        // one (rare) costs a lookup and a lock it did not need, and a batch of transfers one round trip less.
        return Transactions.pipelined(pool, tx -> Uni.combine().all()
                        .unis(inbox.claim(tx, CONSUMER, received.stream().map(ReceivedCommand::messageId).toList()),
                                prepare(tx, commands))
                        .asTuple()
                        .chain(claimedAndPrepared -> {
                            List<ReceivedCommand> fresh = fresh(received, claimedAndPrepared.getItem1());
                            Prepared prepared = claimedAndPrepared.getItem2();
                            return fresh.isEmpty()
                                    ? Uni.createFrom().item(fresh)
                                    : decide(tx, prepared.batch(), fresh, prepared.answered()).replaceWith(fresh);
                        }))
                .invoke(applied -> inbox.counted(CONSUMER, received.size(), applied.size()))
                .invoke(() -> batchSizes.record(received.size()))
                .replaceWithVoid();
    }

    /** The commands whose messages the inbox had not seen; a message delivered twice within one poll counts once. */
    private static List<ReceivedCommand> fresh(List<ReceivedCommand> received, Set<UUID> claimed) {
        Set<UUID> unapplied = new HashSet<>(claimed);
        return received.stream()
                .filter(command -> unapplied.remove(command.messageId()))
                .toList();
    }

    /** The commands' earlier answers and their accounts and holds, locked. */
    private record Prepared(Map<UUID, Answer> answered, LedgerBatch batch) {
    }

    private Uni<Prepared> prepare(SqlConnection tx, List<LedgerCommand> commands) {
        List<UUID> commandIds = commands.stream().map(LedgerCommand::commandId).toList();
        List<UUID> holdIds = commands.stream().map(CommandProcessor::holdOf).filter(id -> id != null).distinct().toList();
        Uni<Map<UUID, Answer>> answered = answers.find(tx, commandIds);
        if (holdIds.isEmpty()) {
            // Every account to lock is named by the commands: the lookup and the locks go out together.
            return Uni.combine().all().unis(answered, ledger.lock(tx, accountsOf(commands, List.of()), holdIds))
                    .combinedWith(Prepared::new);
        }
        // A capture or void names only its hold, and a hold id may already be taken: the holds found tell which
        // accounts to lock.
        return Uni.combine().all().unis(answered, holds.find(tx, holdIds)).asTuple()
                .chain(found -> ledger.lock(tx, accountsOf(commands, found.getItem2()), holdIds)
                        .map(batch -> new Prepared(found.getItem1(), batch)));
    }

    private Uni<Void> decide(SqlConnection tx, LedgerBatch batch, List<ReceivedCommand> commands,
            Map<UUID, Answer> previous) {
        Map<UUID, Answer> answered = new HashMap<>(previous);
        List<Answer> fresh = new ArrayList<>();
        List<OutboxEvent> replies = new ArrayList<>();
        for (ReceivedCommand received : commands) {
            LedgerCommand command = received.command();
            Answer answer = answered.get(command.commandId());
            if (answer == null) {
                answer = answer(command, applyOne(batch, command));
                answered.put(command.commandId(), answer);
                fresh.add(answer);
            } else {
                registry.counter("ledger.commands", "type", command.getClass().getSimpleName(), "outcome", "repeated")
                        .increment();
            }
            replies.add(reply(received, answer));
        }
        return ledger.write(tx, batch, fresh, replies);
    }

    private LedgerEvent applyOne(LedgerBatch batch, LedgerCommand command) {
        String type = command.getClass().getSimpleName();
        try {
            LedgerEvent event = dispatch(batch, command);
            registry.counter("ledger.commands", "type", type, "outcome", "applied").increment();
            return event;
        } catch (LedgerRejection rejection) {
            registry.counter("ledger.commands", "type", type, "outcome", "rejected").increment();
            return rejected(command, rejection);
        }
    }

    private static LedgerEvent dispatch(LedgerBatch batch, LedgerCommand command) {
        if (command instanceof TransferFunds transfer) {
            return batch.transfer(transfer);
        } else if (command instanceof PlaceHold place) {
            return batch.placeHold(place);
        } else if (command instanceof CaptureHold capture) {
            return batch.capture(capture);
        } else if (command instanceof VoidHold voidHold) {
            return batch.voidHold(voidHold);
        }
        throw new IllegalArgumentException("unknown command " + command);
    }

    private static LedgerEvent rejected(LedgerCommand command, LedgerRejection rejection) {
        if (command instanceof TransferFunds) {
            return new TransferRejected(command.commandId(), rejection.reason(), rejection.getMessage());
        }
        return new HoldRejected(command.commandId(), holdOf(command), rejection.reason(), rejection.getMessage());
    }

    private Answer answer(LedgerCommand command, LedgerEvent reply) {
        return new Answer(command.commandId(), command.getClass().getSimpleName(), null, UuidV7.next(),
                reply.getClass().getSimpleName(), json.valueToTree(reply).toString());
    }

    /**
     * The reply event of an answer; the same id every time it is sent, addressed to whoever sent the command
     * this time (see {@link CloudEvents#RECIPIENT}).
     */
    private OutboxEvent reply(ReceivedCommand received, Answer answer) {
        LedgerCommand command = received.command();
        boolean transfer = command instanceof TransferFunds;
        UUID key = transfer ? command.commandId() : holdOf(command);
        Map<String, String> headers = received.sender() == null ? Map.of() : Map.of(CloudEvents.RECIPIENT, received.sender());
        return new OutboxEvent(answer.replyId(), ledger.eventTopic(), transfer ? TRANSFER : HOLD, key.toString(),
                answer.replyType(), fromJson(answer.reply()), headers);
    }

    private static UUID holdOf(LedgerCommand command) {
        if (command instanceof PlaceHold place) {
            return place.holdId();
        } else if (command instanceof CaptureHold capture) {
            return capture.holdId();
        } else if (command instanceof VoidHold voidHold) {
            return voidHold.holdId();
        }
        return null;
    }

    private static Set<UUID> accountsOf(List<LedgerCommand> commands, List<Hold> knownHolds) {
        Set<UUID> ids = new LinkedHashSet<>();
        for (LedgerCommand command : commands) {
            if (command instanceof TransferFunds transfer) {
                ids.add(transfer.fromAccountId());
                ids.add(transfer.toAccountId());
            } else if (command instanceof PlaceHold place) {
                ids.add(place.accountId());
                ids.add(place.creditAccountId());
            }
        }
        knownHolds.forEach(hold -> {
            ids.add(hold.accountId());
            ids.add(hold.creditAccountId());
        });
        return ids;
    }

    private JsonNode fromJson(String value) {
        try {
            return json.readTree(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored reply is not JSON: " + value, e);
        }
    }
}
