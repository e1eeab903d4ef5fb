# Shared settings and helpers for ./platform. Sourced, not run.

STATE_DIR="${PLATFORM_STATE_DIR:-$ROOT/.platform}"
LOG_DIR="$STATE_DIR/logs"
RUN_DIR="$STATE_DIR/run"
SECRETS_FILE="$STATE_DIR/secrets.env"

PG_PORT="${PLATFORM_POSTGRES_PORT:-55432}"
RMQ_PORT="${PLATFORM_RABBITMQ_PORT:-55672}"
RMQ_MGMT_PORT="${PLATFORM_RABBITMQ_MANAGEMENT_PORT:-55673}"
RMQ_DIST_PORT="${PLATFORM_RABBITMQ_DIST_PORT:-55679}"
RMQ_EPMD_PORT="${PLATFORM_EPMD_PORT:-54369}"
IDENTITY_PORT="${PLATFORM_IDENTITY_PORT:-5100}"
ORDERS_PORT="${PLATFORM_ORDERS_PORT:-5200}"
RMQ_VHOST="platform"

say() { printf 'platform: %s\n' "$*"; }
die() { printf 'platform: error: %s\n' "$*" >&2; exit 1; }

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "'$1' needs root and sudo is not installed"
  fi
}

# True when a process with the id recorded in the file is alive.
pid_alive() {
  local file="$1"
  [ -f "$file" ] && kill -0 "$(cat "$file")" 2>/dev/null
}

port_taken() {
  ss -Htln "sport = :$1" 2>/dev/null | grep -q .
}

require_free_port() {
  local port="$1" what="$2"
  if port_taken "$port"; then
    die "port $port for $what is already taken by another process (set PLATFORM_${what^^}_PORT to move it)"
  fi
}

wait_for_port() {
  local port="$1" seconds="$2"
  for _ in $(seq 1 $((seconds * 4))); do
    port_taken "$port" && return 0
    sleep 0.25
  done
  return 1
}

random_secret() {
  head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32
}

# Development secrets are generated once into the ignored state folder; none is committed.
ensure_secrets() {
  mkdir -p "$STATE_DIR" "$LOG_DIR" "$RUN_DIR"
  chmod 755 "$STATE_DIR"
  if [ ! -f "$SECRETS_FILE" ]; then
    umask 077
    cat >"$SECRETS_FILE" <<EOF
PG_SUPERUSER_PASSWORD=$(random_secret)
PG_IDENTITY_PASSWORD=$(random_secret)
PG_ORDERS_PASSWORD=$(random_secret)
RMQ_ADMIN_PASSWORD=$(random_secret)
RMQ_IDENTITY_PASSWORD=$(random_secret)
RMQ_ORDERS_PASSWORD=$(random_secret)
IDENTITY_KEY_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | base64)
EOF
    umask 022
  fi
  # Names this state folder, so data kept outside it (see pg_dir) can tell whether it still belongs to it.
  grep -q '^STATE_ID=' "$SECRETS_FILE" || echo "STATE_ID=$(random_secret)" >>"$SECRETS_FILE"
  # shellcheck disable=SC1090
  source "$SECRETS_FILE"
}

# Installs the Debian packages the platform needs when they are missing.
ensure_packages() {
  local missing=()
  [ -x "$(pg_bindir)/postgres" ] || missing+=(postgresql-15)
  [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
  command -v ss >/dev/null 2>&1 || missing+=(iproute2)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and there is no apt-get to install them"
  say "installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$LOG_DIR/apt.log" 2>&1 \
    || die "apt-get update failed (see $LOG_DIR/apt.log)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    >>"$LOG_DIR/apt.log" 2>&1 || die "apt-get install ${missing[*]} failed (see $LOG_DIR/apt.log)"
  # Debian starts a system-wide server on install where it can; ours runs on its own ports instead.
}

pg_bindir() {
  local dir
  for dir in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    [ -x "$dir/postgres" ] && { echo "$dir"; return; }
  done
  echo /usr/lib/postgresql/15/bin
}
