#!/usr/bin/env bash
# PostgreSQL's first start under docker-compose (docker-entrypoint-initdb.d): the same roles and databases
# as bin/stack (roles.sql, databases.sql), plus a password for each role, since compose's clients come over
# the network and the image does not trust them as the local stack's 127.0.0.1 does.
set -euo pipefail

psql=(psql -X -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres)
"${psql[@]}" -f /corebank/postgres/roles.sql
"${psql[@]}" -f /corebank/postgres/databases.sql
"${psql[@]}" \
  -v account_svc="$ACCOUNT_SVC_DB_PASSWORD" \
  -v transfer_svc="$TRANSFER_SVC_DB_PASSWORD" \
  -v order_svc="$ORDER_SVC_DB_PASSWORD" \
  -v outbox_relay="$OUTBOX_RELAY_DB_PASSWORD" <<'SQL'
ALTER ROLE account_svc PASSWORD :'account_svc';
ALTER ROLE transfer_svc PASSWORD :'transfer_svc';
ALTER ROLE order_svc PASSWORD :'order_svc';
ALTER ROLE outbox_relay PASSWORD :'outbox_relay';
SQL
