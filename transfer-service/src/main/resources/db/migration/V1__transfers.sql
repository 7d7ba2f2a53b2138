-- Transfers as clients asked for them, with their outcome from the ledger. Amounts are bigint minor units.
-- Range-partitioned by month on created_at: history queries and retention work on whole partitions.
-- The primary key must contain the partition key; ids are UUIDv7 made by the application.
CREATE TABLE transfers (
    id              uuid        NOT NULL,
    from_account_id uuid        NOT NULL,
    to_account_id   uuid        NOT NULL,
    amount          bigint      NOT NULL CHECK (amount > 0),
    currency        char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    description     text        CHECK (length(description) <= 500),
    status          text        NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'COMPLETED', 'REJECTED')),
    reason          text,
    created_at      timestamptz NOT NULL,
    completed_at    timestamptz,
    PRIMARY KEY (id, created_at),
    CHECK (from_account_id <> to_account_id),
    CHECK ((status = 'PENDING') = (completed_at IS NULL))
) PARTITION BY RANGE (created_at);

-- Safety net for rows outside the months the partition manager has created: an insert never fails
-- for want of a partition. The manager keeps it empty by creating partitions ahead of time.
CREATE TABLE transfers_default PARTITION OF transfers DEFAULT;
