# PostgreSQL, RabbitMQ and the mail catcher as private local processes under the state folder. Sourced, not run.

# As root, the server runs as the 'postgres' user, who may not be able to reach a checkout under a private home
# folder; the cluster then lives in a folder of its own named after the checkout.
pg_dir() {
  local dir="$STATE_DIR/postgres"
  if [ "$(id -u)" = 0 ] && [ ! -d "$dir/data" ] && ! runuser -u postgres -- test -x "$(dirname "$STATE_DIR")" 2>/dev/null; then
    dir="/var/tmp/platform-postgres-$(printf '%s' "$STATE_DIR" | sha256sum | cut -c1-12)"
  fi
  echo "$dir"
}
PG_DIR="$(pg_dir)"
PG_DATA="$PG_DIR/data"
PG_LOG="$PG_DIR/server.log"
RMQ_DIR="$STATE_DIR/rabbitmq"
RMQ_BIN=/usr/lib/rabbitmq/bin
MAIL_DIR="$STATE_DIR/smtp4dev"
MAIL_SMTP_PORT="${PLATFORM_SMTP_PORT:-2525}"
MAIL_WEB_PORT="${PLATFORM_MAIL_WEB_PORT:-5300}"

# PostgreSQL refuses to run as root: when we are root it runs as the 'postgres' system user.
pg_as_owner() {
  # From / because the postgres user may not be allowed into the caller's working folder.
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

pg_running() { [ -f "$PG_DATA/postmaster.pid" ] && kill -0 "$(head -n 1 "$PG_DATA/postmaster.pid")" 2>/dev/null; }

pg_psql() {
  PGPASSWORD="$PG_SUPERUSER_PASSWORD" psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres "$@"
}

pg_init() {
  # A cluster kept outside the state folder outlives it: one made for an earlier checkout at the same path has
  # another superuser password, so it is replaced rather than reused.
  if [ -f "$PG_DIR/state-id" ] && [ "$(cat "$PG_DIR/state-id")" != "$STATE_ID" ]; then
    say "replacing the PostgreSQL cluster of an earlier checkout in $PG_DIR"
    rm -rf "$PG_DIR"
  fi
  if [ -f "$PG_DATA/PG_VERSION" ]; then
    [ -f "$PG_DIR/state-id" ] || printf '%s\n' "$STATE_ID" >"$PG_DIR/state-id"
    return 0
  fi
  say "creating a PostgreSQL cluster in ${PG_DATA#"$ROOT"/}"
  mkdir -p "$PG_DIR"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$PG_DIR"
  pg_as_owner test -w "$PG_DIR" || die "the postgres user cannot write to $PG_DIR (set PLATFORM_STATE_DIR to a folder it can reach)"
  local pwfile="$PG_DIR/.pw"
  (umask 077; printf '%s\n' "$PG_SUPERUSER_PASSWORD" >"$pwfile")
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$pwfile"
  pg_as_owner "$(pg_bindir)/initdb" -D "$PG_DATA" -U postgres --pwfile="$pwfile" --auth=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >"$LOG_DIR/initdb.log" 2>&1 \
    || { rm -f "$pwfile"; die "initdb failed (see $LOG_DIR/initdb.log)"; }
  rm -f "$pwfile"
  printf '%s\n' "$STATE_ID" >"$PG_DIR/state-id"
}

pg_start() {
  pg_running && return 0
  require_free_port "$PG_PORT" postgres
  pg_init
  say "starting PostgreSQL on 127.0.0.1:$PG_PORT"
  # TCP only: a socket path under a deep checkout can exceed the 107-byte limit of Unix sockets.
  pg_as_owner "$(pg_bindir)/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories='' -c max_connections=400 -c fsync=${PLATFORM_POSTGRES_FSYNC:-on}" \
    start >/dev/null || die "PostgreSQL did not start (see $PG_LOG)"
}

pg_stop() {
  pg_running || return 0
  pg_as_owner "$(pg_bindir)/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null || true
}

# Creates the service roles and databases; safe to repeat.
pg_provision() {
  local svc pw
  for svc in identity orders; do
    pw="PG_${svc^^}_PASSWORD"; pw="${!pw}"
    pg_psql -d postgres <<SQL >/dev/null
SELECT format('CREATE ROLE %I LOGIN', '$svc') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$svc')\gexec
ALTER ROLE "$svc" WITH LOGIN PASSWORD '$pw';
SELECT format('CREATE DATABASE %I OWNER %I', '$svc', '$svc') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$svc')\gexec
SQL
  done
}

rmq_env() {
  env HOME="$RMQ_DIR" \
    RABBITMQ_NODENAME="platform@localhost" \
    RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
    RABBITMQ_NODE_PORT="$RMQ_PORT" \
    RABBITMQ_DIST_PORT="$RMQ_DIST_PORT" \
    ERL_EPMD_PORT="$RMQ_EPMD_PORT" \
    ERL_EPMD_ADDRESS=127.0.0.1 \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
    RABBITMQ_MNESIA_BASE="$RMQ_DIR/mnesia" \
    RABBITMQ_LOG_BASE="$RMQ_DIR/log" \
    RABBITMQ_CONFIG_FILE="$RMQ_DIR/rabbitmq" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$RMQ_DIR/enabled_plugins" \
    RABBITMQ_PID_FILE="$RMQ_DIR/rabbitmq.pid" \
    "$@"
}

rmq_running() { pid_alive "$RMQ_DIR/rabbitmq.pid"; }

rmqctl() { rmq_env "$RMQ_BIN/rabbitmqctl" -q "$@"; }

rmq_start() {
  rmq_running && return 0
  require_free_port "$RMQ_PORT" rabbitmq
  require_free_port "$RMQ_MGMT_PORT" rabbitmq_management
  mkdir -p "$RMQ_DIR/log"
  cat >"$RMQ_DIR/rabbitmq.conf" <<EOF
listeners.tcp.default = 127.0.0.1:$RMQ_PORT
management.tcp.ip = 127.0.0.1
management.tcp.port = $RMQ_MGMT_PORT
EOF
  echo '[rabbitmq_management].' >"$RMQ_DIR/enabled_plugins"
  say "starting RabbitMQ on 127.0.0.1:$RMQ_PORT (management $RMQ_MGMT_PORT)"
  rm -f "$RMQ_DIR/rabbitmq.pid"
  (cd "$RMQ_DIR" && rmq_env setsid -f "$RMQ_BIN/rabbitmq-server" >"$RMQ_DIR/log/console.log" 2>&1 </dev/null)
  # rabbitmqctl wait reads the pid file as soon as it exists and fails on one that is still empty.
  for _ in $(seq 1 600); do
    grep -qE '^[0-9]+$' "$RMQ_DIR/rabbitmq.pid" 2>/dev/null && break
    sleep 0.1
  done
  if ! rmq_env timeout 120 "$RMQ_BIN/rabbitmqctl" -q wait --timeout 90 "$RMQ_DIR/rabbitmq.pid" >/dev/null 2>&1; then
    rmq_stop
    die "RabbitMQ did not start (see ${RMQ_DIR#"$ROOT"/}/log/console.log)"
  fi
}

rmq_stop() {
  if rmq_running; then
    rmqctl stop "$RMQ_DIR/rabbitmq.pid" >/dev/null 2>&1 || kill "$(cat "$RMQ_DIR/rabbitmq.pid")" 2>/dev/null || true
  fi
  # Our epmd listens on a private port; leave no daemon behind.
  ERL_EPMD_PORT="$RMQ_EPMD_PORT" epmd -kill >/dev/null 2>&1 || true
}

# Creates the vhost and one user per client with the same least-privilege grants as the compose broker; safe to
# repeat. Runs again whenever the permission definition changes, so a running broker picks up new grants.
# Passwords reach rabbitmqctl on stdin, never on its command line.
rmq_provision() {
  local definition="$ROOT/deploy/rabbitmq/permissions.sh" marker="$RMQ_DIR/provisioned" version
  version="$(sha256sum "$definition" | cut -d' ' -f1)"
  [ "$(cat "$marker" 2>/dev/null)" = "$version" ] && return 0
  # shellcheck source=deploy/rabbitmq/permissions.sh
  source "$definition"
  rmqctl add_vhost "$RMQ_VHOST" >/dev/null 2>&1 || true
  local user pw grant
  for user in platform-admin identity orders; do
    case "$user" in
      platform-admin) pw="$RMQ_ADMIN_PASSWORD" ;;
      identity) pw="$RMQ_IDENTITY_PASSWORD" ;;
      orders) pw="$RMQ_ORDERS_PASSWORD" ;;
    esac
    printf '%s' "$pw" | rmqctl add_user "$user" >/dev/null 2>&1 \
      || printf '%s' "$pw" | rmqctl change_password "$user" >/dev/null
    if [ "$user" = platform-admin ]; then
      grant=('.*' '.*' '.*')
    else
      mapfile -t grant < <(rabbitmq_permissions "$user")
    fi
    rmqctl set_permissions -p "$RMQ_VHOST" "$user" "${grant[@]}" >/dev/null
  done
  rmqctl set_user_tags platform-admin administrator >/dev/null
  rmqctl delete_user guest >/dev/null 2>&1 || true
  printf '%s\n' "$version" >"$marker"
}

# The shared durable queues are quorum queues now, and a broker refuses to declare a queue that exists as another
# type. A local broker from before keeps them as classic queues, so they are deleted once and the services declare
# them again. Whatever waited in them is dropped: on a developer's broker that is test traffic, and each Orders
# instance still loads the active revocations from Identity when it starts.
rmq_replace_classic_shared_queues() {
  local marker="$RMQ_DIR/shared-queues-quorum" name type
  [ -f "$marker" ] && return 0
  while read -r name type; do
    if [[ "$name" =~ ^(orders-revocation-store|get-active-revocations)$ && "$type" = classic ]]; then
      rmqctl delete_queue -p "$RMQ_VHOST" "$name" >/dev/null
    fi
  done < <(rmqctl list_queues -p "$RMQ_VHOST" name type 2>/dev/null)
  touch "$marker"
}

# smtp4dev, pinned in the repository's tool manifest: it catches every mail the services send (nothing is relayed)
# and shows it at its web UI, whose HTTP API the tests read. Loopback only; mail is kept in memory.
mail_running() { pid_alive "$MAIL_DIR/smtp4dev.pid"; }

mail_start() {
  mail_running && return 0
  require_free_port "$MAIL_SMTP_PORT" smtp
  require_free_port "$MAIL_WEB_PORT" mail_web
  mkdir -p "$MAIL_DIR"
  (cd "$ROOT" && dotnet tool restore >"$LOG_DIR/tool-restore.log" 2>&1) || die "dotnet tool restore failed (see $LOG_DIR/tool-restore.log)"
  say "starting the mail catcher (smtp4dev) on 127.0.0.1:$MAIL_SMTP_PORT (web http://localhost:$MAIL_WEB_PORT)"
  # Its own session, so stopping the recorded process group also ends the server 'dotnet smtp4dev' starts.
  (
    cd "$ROOT"
    setsid dotnet smtp4dev --baseappdatapath="$MAIL_DIR" --nousersettings --db= --messagestokeep=1000 \
      --bindaddress=127.0.0.1 --disableipv6 --smtpport="$MAIL_SMTP_PORT" --imapport= --pop3port= \
      --urls="http://localhost:$MAIL_WEB_PORT" >"$MAIL_DIR/smtp4dev.log" 2>&1 </dev/null &
    echo $! >"$MAIL_DIR/smtp4dev.pid"
  )
  for _ in $(seq 1 240); do
    mail_running || break
    curl -fsS -o /dev/null "http://127.0.0.1:$MAIL_WEB_PORT/api/messages" 2>/dev/null && return 0
    sleep 0.25
  done
  mail_stop
  die "the mail catcher did not start (see ${MAIL_DIR#"$ROOT"/}/smtp4dev.log)"
}

mail_stop() {
  mail_running || { rm -f "$MAIL_DIR/smtp4dev.pid"; return 0; }
  local pid
  pid="$(cat "$MAIL_DIR/smtp4dev.pid")"
  kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -9 -- "-$pid" 2>/dev/null || true
  rm -f "$MAIL_DIR/smtp4dev.pid"
}

infra_up() {
  ensure_secrets
  ensure_packages
  pg_start
  pg_provision
  rmq_start
  rmq_provision
  rmq_replace_classic_shared_queues
  mail_start
}

infra_down() {
  mail_stop
  rmq_stop
  pg_stop
}

infra_status() {
  if pg_running; then say "postgres   running  127.0.0.1:$PG_PORT"; else say "postgres   stopped"; fi
  if rmq_running; then say "rabbitmq   running  127.0.0.1:$RMQ_PORT"; else say "rabbitmq   stopped"; fi
  if mail_running; then say "smtp4dev   running  127.0.0.1:$MAIL_SMTP_PORT (web http://localhost:$MAIL_WEB_PORT)"; else say "smtp4dev   stopped"; fi
}

pg_connection_string() { # user password [database]
  echo "Host=127.0.0.1;Port=$PG_PORT;Username=$1;Password=$2${3:+;Database=$3}"
}

rmq_uri() { # user password
  echo "amqp://$1:$2@127.0.0.1:$RMQ_PORT/$RMQ_VHOST"
}

# What the tests read: administrative access, so each test fixture can make its own database and vhost.
infra_test_env() {
  cat <<EOF
PLATFORM_TEST_POSTGRES='$(pg_connection_string postgres "$PG_SUPERUSER_PASSWORD")'
PLATFORM_TEST_RABBITMQ='$(rmq_uri platform-admin "$RMQ_ADMIN_PASSWORD")'
PLATFORM_TEST_RABBITMQ_MANAGEMENT='http://platform-admin:$RMQ_ADMIN_PASSWORD@127.0.0.1:$RMQ_MGMT_PORT'
PLATFORM_TEST_SMTP='127.0.0.1:$MAIL_SMTP_PORT'
PLATFORM_TEST_MAIL_API='http://127.0.0.1:$MAIL_WEB_PORT'
PLATFORM_REPO_ROOT='$ROOT'
EOF
}

infra_export_test_env() {
  ensure_secrets
  # Written for test runs started from an IDE after './platform infra'; the folder is ignored by git.
  (umask 077; infra_test_env >"$STATE_DIR/test.env")
  set -a
  # shellcheck disable=SC1090
  source "$STATE_DIR/test.env"
  set +a
}

infra_print_env() {
  ensure_secrets
  infra_test_env | sed 's/^/export /'
}
