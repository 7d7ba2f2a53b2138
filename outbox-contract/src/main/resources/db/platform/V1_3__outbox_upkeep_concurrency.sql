-- Partition upkeep that tolerates replicas running it at once and a drop interrupted half-way.

-- Replicas starting together would race between the existence check and CREATE: serialise them.
CREATE OR REPLACE FUNCTION outbox_ensure_partitions(days_ahead int) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
    day     date;
    created int := 0;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('outbox_ensure_partitions'));
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

-- Expired day tables and where each stands: 'attached' (fully published: detach, then drop),
-- 'detach_pending' (a DETACH CONCURRENTLY was interrupted: finalize, then drop), or 'detached' (the
-- drop after a detach failed: drop).
DROP FUNCTION outbox_expired_partitions(interval);
CREATE FUNCTION outbox_expired_partitions(retention interval)
    RETURNS TABLE (name text, state text) LANGUAGE plpgsql AS $$
DECLARE
    part    record;
    upper_b timestamptz;
    pending boolean;
BEGIN
    FOR part IN
        SELECT c.oid::regclass AS rel, c.relname, i.inhdetachpending AS detach_pending, i.inhrelid IS NOT NULL AS attached
        FROM pg_class c
        LEFT JOIN pg_inherits i ON i.inhrelid = c.oid AND i.inhparent = 'outbox'::regclass
        WHERE c.relname ~ '^outbox_p\d{8}$' AND c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace
    LOOP
        upper_b := to_date(substring(part.relname FROM 'outbox_p(\d{8})'), 'YYYYMMDD')::timestamp AT TIME ZONE 'UTC'
                   + interval '1 day';
        CONTINUE WHEN upper_b > now() - retention;
        IF NOT part.attached THEN
            name := part.relname; state := 'detached'; RETURN NEXT;
        ELSIF part.detach_pending THEN
            name := part.relname; state := 'detach_pending'; RETURN NEXT;
        ELSE
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s o JOIN outbox_lane_cursor c ON c.lane = o.lane
                                           WHERE o.seq > c.last_seq)', part.rel) INTO pending;
            IF NOT pending THEN
                name := part.relname; state := 'attached'; RETURN NEXT;
            END IF;
        END IF;
    END LOOP;
END
$$;
