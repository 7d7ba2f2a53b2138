-- What the API needs around V1's transfers: the ledger command's re-sending, history by account, month
-- partitions made ahead of time, and the Idempotency-Key records.

-- The ledger command is re-sent while a transfer stays PENDING (the sweeper); these say when and how often.
ALTER TABLE transfers
    ADD COLUMN last_sent_at timestamptz,
    ADD COLUMN send_count   int NOT NULL DEFAULT 1 CHECK (send_count >= 1),
    ADD COLUMN detail       text;
UPDATE transfers SET last_sent_at = created_at WHERE last_sent_at IS NULL;
ALTER TABLE transfers ALTER COLUMN last_sent_at SET NOT NULL;

-- The sweeper's work list: PENDING transfers by when their command was last sent. Partial, so it holds
-- only the few transfers in flight however long the history grows.
CREATE INDEX transfers_pending ON transfers (last_sent_at) WHERE status = 'PENDING';

-- An account's history, newest first, from either side: two index scans merged by the query, each one
-- read in (created_at, id) order from the keyset cursor on.
CREATE INDEX transfers_from_history ON transfers (from_account_id, created_at DESC, id DESC);
CREATE INDEX transfers_to_history ON transfers (to_account_id, created_at DESC, id DESC);

-- The month partition that holds month_start (any timestamp in that month, UTC); true if it was created.
CREATE FUNCTION transfers_ensure_partition(month_start timestamptz) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    first_day date := date_trunc('month', month_start AT TIME ZONE 'UTC')::date;
    name      text := format('transfers_y%sm%s', to_char(first_day, 'YYYY'), to_char(first_day, 'MM'));
BEGIN
    -- Replicas starting together would race on the same CREATE.
    PERFORM pg_advisory_xact_lock(hashtext('transfers_ensure_partition'));
    IF to_regclass(name) IS NOT NULL THEN
        RETURN false;
    END IF;
    EXECUTE format('CREATE TABLE %I PARTITION OF transfers FOR VALUES FROM (%L) TO (%L)', name,
                   first_day::timestamp AT TIME ZONE 'UTC',
                   (first_day + interval '1 month')::timestamp AT TIME ZONE 'UTC');
    RETURN true;
END
$$;

-- The current month and months_ahead more; returns how many partitions it created.
CREATE FUNCTION transfers_ensure_partitions(months_ahead int) RETURNS int LANGUAGE sql AS $$
    SELECT count(*) FILTER (WHERE transfers_ensure_partition(now() + make_interval(months => m)))::int
    FROM generate_series(0, months_ahead) AS m
$$;

-- One row per (client, Idempotency-Key). Not partitioned on purpose: a key must be unique across all of
-- its lifetime, and a partitioned table can only enforce uniqueness that includes the partition key.
-- The purge is still cheap: rows arrive in created_at order, so a BRIN index finds the old ones by
-- block range, and they go in small batches.
--
-- response_status is NULL while the request that made the key is still in flight (it waits for the
-- outcome, Prefer: wait); until in_flight_until, a retry gets 409 rather than a second transfer.
CREATE TABLE idempotency_keys (
    client_id       text        NOT NULL,
    key             text        NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    fingerprint     bytea       NOT NULL,
    transfer_id     uuid        NOT NULL,
    created_at      timestamptz NOT NULL,
    in_flight_until timestamptz,
    response_status smallint,
    response_body   text,
    PRIMARY KEY (client_id, key),
    CHECK ((response_status IS NULL) = (response_body IS NULL)),
    CHECK (response_status IS NOT NULL OR in_flight_until IS NOT NULL)
);
CREATE INDEX idempotency_keys_created_brin ON idempotency_keys USING brin (created_at);
