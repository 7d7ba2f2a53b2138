-- The journal's month partitions are kept by the shared ensure_month_partitions (platform's V1_4), which names
-- and bounds them exactly as these did.
DROP FUNCTION journal_ensure_partitions(int);
DROP FUNCTION journal_ensure_partition(timestamptz);
