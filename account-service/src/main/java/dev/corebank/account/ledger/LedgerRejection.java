package dev.corebank.account.ledger;

import dev.corebank.messages.ledger.RejectionReason;

/**
 * The ledger refused a movement or a hold operation, before changing anything. Over Kafka it becomes a
 * rejection reply; over HTTP a problem response (see {@code rest/LedgerProblems}).
 */
public class LedgerRejection extends RuntimeException {

    private final RejectionReason reason;

    public LedgerRejection(RejectionReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public RejectionReason reason() {
        return reason;
    }
}
