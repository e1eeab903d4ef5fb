#!/usr/bin/env bash
# The official postgres image's conventions: POSTGRES_USER (default postgres), POSTGRES_PASSWORD or
# POSTGRES_PASSWORD_FILE, POSTGRES_DB (default: the user's name), POSTGRES_INITDB_ARGS, PGDATA. On an empty data
# folder it creates the cluster and runs /docker-entrypoint-initdb.d/*.sh and *.sql once, against a server that
# listens on its Unix socket only, so nothing can connect over the network before initialisation is complete.
set -euo pipefail

# VAR or VAR_FILE, never both.
file_env() {
  local var="$1" file_var="${1}_FILE" default="${2:-}"
  if [ -n "${!var:-}" ] && [ -n "${!file_var:-}" ]; then
    echo "docker-entrypoint: both $var and $file_var are set (but are exclusive)" >&2
    exit 1
  fi
  local value="$default"
  if [ -n "${!var:-}" ]; then value="${!var}"
  elif [ -n "${!file_var:-}" ]; then value="$(<"${!file_var}")"
  fi
  export "$var=$value"
  unset "$file_var"
}

[ "${1:0:1}" = '-' ] && set -- postgres "$@"
[ "$1" = postgres ] || exec "$@"

if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$BASH_SOURCE" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  file_env POSTGRES_PASSWORD
  file_env POSTGRES_USER postgres
  file_env POSTGRES_DB "$POSTGRES_USER"
  if [ -z "$POSTGRES_PASSWORD" ]; then
    echo "docker-entrypoint: the database is uninitialised and no superuser password is set: set POSTGRES_PASSWORD or POSTGRES_PASSWORD_FILE" >&2
    exit 1
  fi
  # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS holds several arguments, as in the official image
  initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") \
    --encoding=UTF8 --locale=C.UTF-8 ${POSTGRES_INITDB_ARGS:-}
  # Inside the container the socket trusts its users, as initdb sets it up; the network needs a password.
  printf '\nhost all all all scram-sha-256\n' >>"$PGDATA/pg_hba.conf"
  printf "\nlisten_addresses = '*'\n" >>"$PGDATA/postgresql.conf"

  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432" -w start
  export PGHOST=/var/run/postgresql PGPORT=5432
  psql=(psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc)
  if [ "$POSTGRES_DB" != postgres ]; then
    "${psql[@]}" --dbname postgres --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db";'
  fi
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh)
        # Executable scripts run on their own; others are sourced, as the official image does.
        if [ -x "$f" ]; then echo "docker-entrypoint: running $f"; "$f"
        else echo "docker-entrypoint: sourcing $f"; . "$f"
        fi
        ;;
      *.sql) echo "docker-entrypoint: running $f"; "${psql[@]}" --dbname "$POSTGRES_DB" -f "$f" ;;
      *.sql.gz) echo "docker-entrypoint: running $f"; gunzip -c "$f" | "${psql[@]}" --dbname "$POSTGRES_DB" ;;
      */\*) ;;
      *) echo "docker-entrypoint: ignoring $f" ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop
  unset PGHOST PGPORT POSTGRES_PASSWORD
  echo "docker-entrypoint: PostgreSQL init process complete; ready for start up."
fi

exec "$@"
