package dev.corebank.account.ledger;

import java.util.UUID;

/**
 * What the ledger answered to a command, kept so that the same command id gets the same answer again.
 *
 * @param fingerprint over HTTP, a digest of the request (null for Kafka commands)
 * @param replyId     the id of the reply event, reused when the reply is sent again
 * @param reply       the reply as JSON: the event's payload, or the HTTP response body
 */
public record Answer(UUID commandId, String kind, String fingerprint, UUID replyId, String replyType, String reply) {
}
