#!/usr/bin/env bash
# Runs once, when the postgres container initialises an empty data volume: one database per service, each owned
# by its own login role, and neither role able to connect to the other's database.
set -euo pipefail

read_secret() { # variable-holding-a-file-path
  local file="${!1:-}"
  [ -n "$file" ] && [ -r "$file" ] || { echo "init-databases: $1 must name a readable secret file" >&2; exit 1; }
  tr -d '\r\n' <"$file"
}

create_service_database() { # name password
  # Passed as psql variables and quoted by psql (:'password'), so a password never needs shell or SQL escaping.
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v name="$1" -v password="$2" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'name', :'password')
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'name') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'name', :'name')
  WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'name') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'name') \gexec
SQL
}

create_service_database identity "$(read_secret IDENTITY_DB_PASSWORD_FILE)"
create_service_database orders "$(read_secret ORDERS_DB_PASSWORD_FILE)"
