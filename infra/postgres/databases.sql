-- The databases of the local stack, each owned by its service's role (psql only: \gexec). Only the owner
-- and the relay may connect; the relay's table grants come with each service's outbox migration.
SELECT format('CREATE DATABASE %I OWNER %I', db, owner)
FROM (VALUES ('accounts', 'account_svc'), ('transfers', 'transfer_svc'), ('orders', 'order_svc')) AS v(db, owner)
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = db)
\gexec
REVOKE ALL ON DATABASE accounts, transfers, orders FROM PUBLIC;
GRANT CONNECT ON DATABASE accounts, transfers, orders TO outbox_relay;
