-- The transfers' month partitions are kept by the shared ensure_month_partitions (platform's V1_4), which names
-- and bounds them exactly as these did.
DROP FUNCTION transfers_ensure_partitions(int);
DROP FUNCTION transfers_ensure_partition(timestamptz);
