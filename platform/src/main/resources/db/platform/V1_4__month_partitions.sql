-- Month partitions for any table partitioned by RANGE on a timestamptz (the journal, transfers), so that each
-- service keeps its partitions ahead of time with one function rather than a copy of it per table. A month's
-- partition is <table>_yYYYYmMM, beside its table, and covers that month in UTC.

-- The partition of parent that holds month_start (any timestamp in that month); true if it was created.
CREATE FUNCTION ensure_month_partition(parent regclass, month_start timestamptz) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    first_day date := date_trunc('month', month_start AT TIME ZONE 'UTC')::date;
    schema    text;
    name      text;
BEGIN
    SELECT n.nspname, format('%s_y%sm%s', c.relname, to_char(first_day, 'YYYY'), to_char(first_day, 'MM'))
      INTO schema, name
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.oid = parent;
    -- Replicas starting together would race on the same CREATE.
    PERFORM pg_advisory_xact_lock(hashtext('ensure_month_partition:' || parent::text));
    IF to_regclass(format('%I.%I', schema, name)) IS NOT NULL THEN
        RETURN false;
    END IF;
    EXECUTE format('CREATE TABLE %I.%I PARTITION OF %s FOR VALUES FROM (%L) TO (%L)', schema, name, parent,
                   first_day::timestamp AT TIME ZONE 'UTC',
                   (first_day + interval '1 month')::timestamp AT TIME ZONE 'UTC');
    RETURN true;
END
$$;

-- The current month of parent and months_ahead more; returns how many partitions it created.
CREATE FUNCTION ensure_month_partitions(parent regclass, months_ahead int) RETURNS int LANGUAGE sql AS $$
    SELECT count(*) FILTER (WHERE ensure_month_partition(parent, now() + make_interval(months => m)))::int
    FROM generate_series(0, months_ahead) AS m
$$;
