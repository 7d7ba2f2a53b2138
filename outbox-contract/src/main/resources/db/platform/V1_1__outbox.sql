-- Transactional outbox. A service appends its events here in the same transaction as the business
-- change; outbox-relay publishes them to Kafka. This script lives in the platform jar and runs in every
-- service database (Flyway location db/platform).
--
-- Rows are never updated or deleted one by one. The relay remembers, per lane, the last sequence it
-- published (outbox_lane_cursor), and whole day partitions are dropped once every row in them is behind
-- the cursors: no dead tuples, no VACUUM debt, however many events flow.
CREATE TABLE outbox (
    -- Order of appends. Within a lane it is also commit order: appenders hold the lane's advisory lock
    -- from their insert until commit (see Outbox.java), so a lower seq can never commit after a higher one.
    seq            bigint      GENERATED ALWAYS AS IDENTITY,
    id             uuid        NOT NULL,  -- UUIDv7; the CloudEvents id, and the consumers' dedup key
    -- hash(aggregate_id) mod 32: one relay instance owns a lane at a time, which keeps per-aggregate order.
    lane           smallint    NOT NULL CHECK (lane BETWEEN 0 AND 31),
    topic          text        NOT NULL,
    aggregate_type text        NOT NULL,
    aggregate_id   text        NOT NULL,  -- the Kafka record key
    event_type     text        NOT NULL,
    payload        jsonb       NOT NULL,
    headers        jsonb       NOT NULL DEFAULT '{}',  -- e.g. traceparent
    created_at     timestamptz NOT NULL DEFAULT now()
) PARTITION BY RANGE (created_at);

-- The relay's only read: a lane's rows after its cursor, in order.
CREATE INDEX outbox_lane_seq ON outbox (lane, seq);

-- Fill factor leaves room for HOT updates: the relay moves these 32 rows forward after every batch.
CREATE TABLE outbox_lane_cursor (
    lane       smallint    PRIMARY KEY CHECK (lane BETWEEN 0 AND 31),
    last_seq   bigint      NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now()
) WITH (fillfactor = 50);
INSERT INTO outbox_lane_cursor (lane) SELECT generate_series(0, 31);

-- Wakes the relay at once (LISTEN outbox): the payload is the lane. Notifications with the same payload
-- in one transaction are delivered once, so a batch of appends wakes each of its lanes once.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('outbox', NEW.lane::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION outbox_notify();

-- Day partitions from yesterday to days_ahead days from now, in UTC; returns how many it created.
CREATE FUNCTION outbox_ensure_partitions(days_ahead int) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
    day     date;
    created int := 0;
BEGIN
    FOR day IN SELECT generate_series((now() AT TIME ZONE 'UTC')::date - 1,
                                      (now() AT TIME ZONE 'UTC')::date + days_ahead, interval '1 day')::date
    LOOP
        IF to_regclass(format('outbox_p%s', to_char(day, 'YYYYMMDD'))) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF outbox FOR VALUES FROM (%L) TO (%L)',
                           format('outbox_p%s', to_char(day, 'YYYYMMDD')),
                           day::timestamp AT TIME ZONE 'UTC', (day + 1)::timestamp AT TIME ZONE 'UTC');
            created := created + 1;
        END IF;
    END LOOP;
    RETURN created;
END
$$;

-- Partitions that ended more than `retention` ago and whose every row the relay has published.
CREATE FUNCTION outbox_expired_partitions(retention interval) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    part    regclass;
    upper_b timestamptz;
    pending boolean;
BEGIN
    FOR part IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'outbox'::regclass LOOP
        upper_b := to_date(substring(part::text FROM 'outbox_p(\d{8})'), 'YYYYMMDD')::timestamp AT TIME ZONE 'UTC'
                   + interval '1 day';
        CONTINUE WHEN upper_b IS NULL OR upper_b > now() - retention;
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s o JOIN outbox_lane_cursor c ON c.lane = o.lane
                                       WHERE o.seq > c.last_seq)', part) INTO pending;
        IF NOT pending THEN
            RETURN NEXT part::text;
        END IF;
    END LOOP;
END
$$;

SELECT outbox_ensure_partitions(7);

-- The relay reads the outbox and moves the cursors, nothing else. The role exists wherever bin/stack or
-- the deployment created it; a bare database (Dev Services) has no such role and needs no grant.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'outbox_relay') THEN
        GRANT SELECT ON outbox TO outbox_relay;
        GRANT SELECT, UPDATE ON outbox_lane_cursor TO outbox_relay;
    END IF;
END
$$;
