package dev.corebank.account.command;

import dev.corebank.messages.ledger.LedgerCommand;
import java.util.UUID;

/**
 * A command as it arrived: {@code messageId} is the record's CloudEvents id, the inbox's dedup key; {@code sender} its
 * {@code ce_source}, to which the reply is addressed (null if it had none).
 */
public record ReceivedCommand(UUID messageId, LedgerCommand command, String sender) {
}
