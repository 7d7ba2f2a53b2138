-- Holds: money reserved on a debit account for a credit account until captured, voided or expired.
-- While PLACED, the amount counts in accounts.held of the debit account; each hold resolves exactly once.
CREATE TABLE holds (
    id                uuid        PRIMARY KEY,
    account_id        uuid        NOT NULL REFERENCES accounts (id),
    credit_account_id uuid        NOT NULL REFERENCES accounts (id),
    currency          char(3)     NOT NULL,
    amount            bigint      NOT NULL CHECK (amount > 0),
    status            text        NOT NULL DEFAULT 'PLACED'
                                  CHECK (status IN ('PLACED', 'CAPTURED', 'VOIDED', 'EXPIRED')),
    captured_amount   bigint      CHECK (captured_amount > 0 AND captured_amount <= amount),
    reference         text        CHECK (length(reference) <= 140),
    expires_at        timestamptz NOT NULL,
    placed_by         uuid        NOT NULL,  -- the PlaceHold command
    resolved_by       uuid,                  -- the CaptureHold or VoidHold command; null when it expired
    created_at        timestamptz NOT NULL,
    resolved_at       timestamptz,
    CHECK ((status = 'PLACED') = (resolved_at IS NULL)),
    CHECK ((status = 'CAPTURED') = (captured_amount IS NOT NULL))
);

-- The expiry sweeper's only query: open holds by expiry. Resolved holds, the vast majority, stay out.
CREATE INDEX holds_open_by_expiry ON holds (expires_at) WHERE status = 'PLACED';

-- Every command the ledger has answered (from Kafka, or a deposit/withdrawal under an Idempotency-Key),
-- with its answer: a command id seen again gets this same answer and has no second effect.
CREATE TABLE commands (
    id           uuid        PRIMARY KEY,
    kind         text        NOT NULL,
    -- Over HTTP: a digest of the request, to tell a retry from a different request under the same key.
    fingerprint  text,
    reply_id     uuid        NOT NULL,  -- the reply event's id, so a repeated reply is deduplicated downstream
    reply_type   text        NOT NULL,
    reply        jsonb       NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now()
);
