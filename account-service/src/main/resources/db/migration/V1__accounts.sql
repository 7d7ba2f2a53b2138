-- Accounts of the ledger. Amounts are bigint minor units of the account's ISO-4217 currency.
-- Ids are UUIDv7 made by the application, so primary-key inserts stay at the right edge of the B-tree.
CREATE TABLE accounts (
    id              uuid        PRIMARY KEY,
    owner_id        text        NOT NULL CHECK (length(owner_id) BETWEEN 1 AND 128),
    currency        char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    -- CUSTOMER accounts belong to clients; the one SYSTEM account per currency is the bank's cash, the
    -- other side of every deposit and withdrawal, so that all balances of a currency sum to zero.
    kind            text        NOT NULL DEFAULT 'CUSTOMER' CHECK (kind IN ('CUSTOMER', 'SYSTEM')),
    balance         bigint      NOT NULL DEFAULT 0,
    -- Sum of the open holds on this account; available = balance - held.
    held            bigint      NOT NULL DEFAULT 0 CHECK (held >= 0),
    overdraft_limit bigint      NOT NULL DEFAULT 0 CHECK (overdraft_limit >= 0),
    status          text        NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'FROZEN', 'CLOSED')),
    -- Optimistic concurrency for edits (If-Match) and the freshness of read models.
    version         bigint      NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    -- The last line of defence: whatever the code does, a customer never spends beyond its overdraft.
    CONSTRAINT available_within_overdraft CHECK (kind = 'SYSTEM' OR balance - held >= -overdraft_limit)
);

CREATE UNIQUE INDEX accounts_one_system_account_per_currency ON accounts (currency) WHERE kind = 'SYSTEM';
CREATE INDEX accounts_by_owner ON accounts (owner_id);
