-- Idempotent consumers: a message's effect and its id commit in one transaction, so a redelivered
-- message finds its id here and is skipped. Kept for corebank.inbox.retention (7 days by default), far
-- beyond any redelivery window, then purged by the platform's maintenance job.
CREATE TABLE inbox (
    consumer     text        NOT NULL,
    message_id   uuid        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, message_id)
);

-- Rows arrive in processed_at order, so a BRIN index finds the old ones for the purge at almost no cost.
CREATE INDEX inbox_processed_at ON inbox USING brin (processed_at);
