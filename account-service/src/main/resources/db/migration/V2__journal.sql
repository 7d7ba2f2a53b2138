-- The double-entry journal. Every movement of money is one row in movements and two or more rows in
-- journal_entries whose amounts sum to zero; entries are only ever inserted.
-- Sign: a positive amount is a credit (the balance grows), a negative one a debit.

-- A partitioned table cannot hold a unique index that leaves out its partition key, so the global
-- uniqueness of a movement id lives here, in a plain table the entries reference.
CREATE TABLE movements (
    id        uuid        PRIMARY KEY,  -- the command id (or the HTTP idempotency record's id)
    kind      text        NOT NULL CHECK (kind IN ('TRANSFER', 'DEPOSIT', 'WITHDRAWAL', 'HOLD_CAPTURE')),
    currency  char(3)     NOT NULL,
    amount    bigint      NOT NULL CHECK (amount > 0),
    reference text        CHECK (length(reference) <= 140),
    posted_at timestamptz NOT NULL
);

CREATE SEQUENCE journal_entry_no AS bigint CACHE 100;

CREATE TABLE journal_entries (
    entry_no      bigint      NOT NULL DEFAULT nextval('journal_entry_no'),
    movement_id   uuid        NOT NULL REFERENCES movements (id),
    account_id    uuid        NOT NULL REFERENCES accounts (id),
    kind          text        NOT NULL,  -- the movement's kind, copied so that a statement is one index scan
    amount        bigint      NOT NULL CHECK (amount <> 0),
    balance_after bigint      NOT NULL,  -- the account's running balance, as a statement prints it
    posted_at     timestamptz NOT NULL
) PARTITION BY RANGE (posted_at);

-- "Entries of an account, newest first": keyset pagination on (posted_at, entry_no) answered from the
-- index alone, since it carries every column the statement shows. It is also the entries' identity.
CREATE UNIQUE INDEX journal_entries_statement
    ON journal_entries (account_id, posted_at DESC, entry_no DESC)
    INCLUDE (movement_id, kind, amount, balance_after);

-- Time-range scans (audits, trial balance by period): a few pages per partition, since entries are
-- appended in posting-time order.
CREATE INDEX journal_entries_posted_brin ON journal_entries USING brin (posted_at);

-- A posting outside every month partition still lands somewhere rather than failing the movement; the
-- partition manager keeps it empty by creating months ahead of time.
CREATE TABLE journal_entries_default PARTITION OF journal_entries DEFAULT;

-- Archived months: detached partitions move to this schema (never deleted), and what they summed to per
-- account is carried here so that balances still reconcile with the live journal.
CREATE SCHEMA archive;
CREATE TABLE journal_archived_totals (
    account_id uuid   PRIMARY KEY REFERENCES accounts (id),
    debits     bigint NOT NULL DEFAULT 0,  -- sum of the absolute values of the archived debits
    credits    bigint NOT NULL DEFAULT 0,
    entries    bigint NOT NULL DEFAULT 0
);

-- The month partition that holds month_start (any timestamp in that month, UTC); true if it was created.
CREATE FUNCTION journal_ensure_partition(month_start timestamptz) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    first_day date := date_trunc('month', month_start AT TIME ZONE 'UTC')::date;
    name      text := format('journal_entries_y%sm%s', to_char(first_day, 'YYYY'), to_char(first_day, 'MM'));
BEGIN
    -- Replicas starting together would race on the same CREATE.
    PERFORM pg_advisory_xact_lock(hashtext('journal_ensure_partition'));
    IF to_regclass(name) IS NOT NULL THEN
        RETURN false;
    END IF;
    EXECUTE format('CREATE TABLE %I PARTITION OF journal_entries FOR VALUES FROM (%L) TO (%L)', name,
                   first_day::timestamp AT TIME ZONE 'UTC',
                   (first_day + interval '1 month')::timestamp AT TIME ZONE 'UTC');
    RETURN true;
END
$$;

-- The current month and months_ahead more; returns how many partitions it created.
CREATE FUNCTION journal_ensure_partitions(months_ahead int) RETURNS int LANGUAGE sql AS $$
    SELECT count(*) FILTER (WHERE journal_ensure_partition(now() + make_interval(months => m)))::int
    FROM generate_series(0, months_ahead) AS m
$$;

-- Month partitions of the live journal and of the archive, with their bounds.
CREATE VIEW journal_partitions AS
SELECT c.relname::text                                          AS name,
       n.nspname::text                                          AS schema,
       (n.nspname = 'archive')                                  AS archived,
       CASE WHEN c.relname ~ 'y\d{4}m\d{2}$'
            THEN to_date(substring(c.relname FROM '\d{4}m\d{2}'), 'YYYY"m"MM') END AS month,
       pg_get_expr(c.relpartbound, c.oid)                       AS bounds,
       greatest(c.reltuples, 0)::bigint                         AS estimated_rows
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relname ~ '^journal_entries_(y\d{4}m\d{2}|default)$' AND c.relkind = 'r';

-- Detaches every month partition that ended at least older_than_months months before the current month
-- into the archive schema, carrying its per-account sums to journal_archived_totals in the same
-- transaction. Returns the archived partitions' names.
CREATE FUNCTION journal_archive_partitions(older_than_months int) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    cutoff date := (date_trunc('month', now() AT TIME ZONE 'UTC') - make_interval(months => older_than_months))::date;
    part   record;
BEGIN
    IF older_than_months < 1 THEN
        RAISE EXCEPTION 'older_than_months must be at least 1, got %', older_than_months
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOR part IN
        SELECT c.relname AS name
        FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'journal_entries'::regclass
          AND c.relname ~ '^journal_entries_y\d{4}m\d{2}$'
          AND to_date(substring(c.relname FROM '\d{4}m\d{2}'), 'YYYY"m"MM') + interval '1 month' <= cutoff
        ORDER BY c.relname
    LOOP
        EXECUTE format($q$
            INSERT INTO journal_archived_totals AS t (account_id, debits, credits, entries)
            SELECT account_id, coalesce(sum(-amount) FILTER (WHERE amount < 0), 0),
                   coalesce(sum(amount) FILTER (WHERE amount > 0), 0), count(*)
            FROM %I GROUP BY account_id
            ON CONFLICT (account_id) DO UPDATE SET
                debits = t.debits + excluded.debits,
                credits = t.credits + excluded.credits,
                entries = t.entries + excluded.entries$q$, part.name);
        EXECUTE format('ALTER TABLE journal_entries DETACH PARTITION %I', part.name);
        EXECUTE format('ALTER TABLE %I SET SCHEMA archive', part.name);
        RETURN NEXT part.name;
    END LOOP;
END
$$;
