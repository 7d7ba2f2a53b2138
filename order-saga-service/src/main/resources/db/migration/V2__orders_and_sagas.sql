-- Products sell for their merchant: an order's money goes to that merchant's ledger account.
ALTER TABLE products ADD COLUMN merchant_account_id uuid NOT NULL;

-- One row per order, which is also its saga's state: the step it waits on, the command it last sent for
-- that step (re-sent with the same id, which the ledger applies at most once), when that command's answer
-- is overdue, and the saga log. Every change to the row commits with its stock changes and its outbox rows.
CREATE TABLE orders (
    id                  uuid        PRIMARY KEY,
    customer_account_id uuid        NOT NULL,
    merchant_account_id uuid        NOT NULL,
    total               bigint      NOT NULL CHECK (total > 0),
    currency            char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    status              text        NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'CANCELLED', 'FAILED')),
    reason              text,
    -- AUTHORIZING (PlaceHold sent), CAPTURING (CaptureHold sent), COMPENSATING (VoidHold sent), DONE.
    step                text        NOT NULL CHECK (step IN ('AUTHORIZING', 'CAPTURING', 'COMPENSATING', 'DONE')),
    -- Where this order's units are: RESERVED (in products.reserved), TAKEN (gone from products.stock), RELEASED.
    stock               text        NOT NULL CHECK (stock IN ('RESERVED', 'TAKEN', 'RELEASED')),
    hold_id             uuid        NOT NULL UNIQUE,
    place_command_id    uuid        NOT NULL,
    capture_command_id  uuid,
    void_command_id     uuid,
    -- Re-sends of the current step's command so far.
    attempts            integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    deadline_at         timestamptz,
    -- [{"productId","sku","quantity","price"}]: fixed when the order is placed.
    items               jsonb       NOT NULL,
    -- The saga log, appended to by every change: [{"name","status","detail","at"}].
    steps               jsonb       NOT NULL,
    version             bigint      NOT NULL CHECK (version >= 0),
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    -- A running saga always has a deadline, and only a running one.
    CHECK ((status = 'PENDING') = (deadline_at IS NOT NULL)),
    CHECK ((status IN ('CONFIRMED', 'CANCELLED')) = (step = 'DONE')),
    -- A finished order holds no stock: confirmed took it, cancelled gave it back.
    CHECK (step <> 'DONE' OR stock <> 'RESERVED')
);
-- The deadline sweep reads only running sagas; the operators' list only unfinished ones.
CREATE INDEX orders_due ON orders (deadline_at) WHERE status = 'PENDING';
CREATE INDEX orders_unfinished ON orders (status, updated_at) WHERE status IN ('PENDING', 'FAILED');

-- Idempotency-Keys of POST /orders, per client scope: the first request's fingerprint and its order.
CREATE TABLE order_requests (
    client_id       text        NOT NULL,
    key             text        NOT NULL,
    fingerprint     bytea       NOT NULL,
    order_id        uuid        NOT NULL,
    -- A request waiting for its outcome (Prefer: wait) holds the key until then: retries get 409.
    in_flight_until timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (client_id, key)
);
-- Rows arrive in time order, so a BRIN index serves the purge of old keys at almost no write cost.
CREATE INDEX order_requests_created ON order_requests USING brin (created_at);
