-- The login roles of the system, one per service, created if missing. Shared by `bin/stack` (psql) and
-- the test harness (JDBC), so both see the same roles. Passwords are set by the deployment (k8s secrets);
-- the local stack relies on PostgreSQL's trust authentication on 127.0.0.1.
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['account_svc', 'transfer_svc', 'order_svc', 'outbox_relay'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I LOGIN', r);
        END IF;
    END LOOP;
END
$$;
