# The platform as a docker compose stack: './platform compose up|down|test'. Sourced, not run.
# The engine and the images come from scripts/docker.sh (docker_ensure, standins_ensure); this file runs the stack.

COMPOSE_ENV_FILE="$ROOT/.env"
COMPOSE_ORDERS_REPLICAS="${PLATFORM_ORDERS_REPLICAS:-3}"
# The compose project: the name the compose file sets, unless PLATFORM_COMPOSE_PROJECT names another (the test run
# uses a project of its own). Container names are <project>-<service>-<replica>, volumes <project>_<volume>.
COMPOSE_PROJECT="${PLATFORM_COMPOSE_PROJECT:-platform}"

compose() { docker_cli compose --project-directory "$ROOT" -f "$ROOT/docker-compose.yml" -p "$COMPOSE_PROJECT" "$@"; }

compose_engine_source() {
  [ -f "$ROOT/scripts/docker.sh" ] || die "scripts/docker.sh is missing: it installs the engine and provides the images"
  # shellcheck source=scripts/docker.sh
  source "$ROOT/scripts/docker.sh"
}

compose_engine_ensure() {
  compose_engine_source
  docker_ensure
  standins_ensure
}

# The value of one variable in .env, empty when it is not there.
env_file_value() { # name
  sed -n "s/^$1=//p" "$COMPOSE_ENV_FILE" | tail -n 1
}

# .env from .env.example, every "change-me" replaced by a generated value. The values are never printed.
compose_env_ensure() {
  if [ ! -f "$COMPOSE_ENV_FILE" ]; then
    local line name tmp="$COMPOSE_ENV_FILE.tmp"
    (
      umask 077
      while IFS= read -r line; do
        name="${line%%=*}"
        if [ "${line#*=}" = change-me ]; then
          case "$name" in
            IDENTITY_KEY_ENCRYPTION_KEY) line="$name=$(head -c 32 /dev/urandom | base64)" ;;
            *) line="$name=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')" ;;
          esac
        fi
        printf '%s\n' "$line"
      done <"$ROOT/.env.example" >"$tmp"
    )
    mv "$tmp" "$COMPOSE_ENV_FILE"
    say "wrote .env with generated secrets (git-ignored; the values are not shown)"
  fi
  local missing
  missing="$(grep -E '^[A-Z_]+=(change-me)?$' "$COMPOSE_ENV_FILE" | cut -d= -f1 | tr '\n' ' ' || true)"
  [ -z "$missing" ] || die "set ${missing% } in .env (see .env.example)"
}

# Ports are checked only while the stack is down: a running stack holds them itself.
compose_ports_ensure() {
  [ -z "$(compose ps -q 2>/dev/null)" ] || return 0
  local entry variable default port
  for entry in IDENTITY_HTTP_PORT:5100 MAIL_HTTP_PORT:5300 RABBITMQ_HTTP_PORT:15672; do
    variable="${entry%%:*}" default="${entry#*:}"
    port="${!variable:-$(env_file_value "$variable")}"
    port="${port:-$default}"
    if port_taken "$port"; then
      die "port $port is already taken (another './platform up'?); stop that or set $variable in .env"
    fi
  done
}

# The address of one Orders replica's published port, e.g. http://127.0.0.1:49153.
compose_orders_url() { # replica
  local address
  address="$(docker_cli port "$COMPOSE_PROJECT-orders-$1" 8080/tcp 2>/dev/null | head -n 1)"
  [ -n "$address" ] && echo "http://$address"
}

compose_up() {
  compose_engine_ensure
  compose_env_ensure
  compose_ports_ensure
  say "starting the compose stack with $COMPOSE_ORDERS_REPLICAS Orders replicas"
  compose up --build --wait --scale "orders=$COMPOSE_ORDERS_REPLICAS" "$@" \
    || die "the stack did not become healthy: see 'docker compose ps' and 'docker compose logs'"
  compose_print_usage
}

compose_print_usage() {
  local identity_port mail_port rmq_port i
  identity_port="${IDENTITY_HTTP_PORT:-$(env_file_value IDENTITY_HTTP_PORT)}"
  mail_port="${MAIL_HTTP_PORT:-$(env_file_value MAIL_HTTP_PORT)}"
  rmq_port="${RABBITMQ_HTTP_PORT:-$(env_file_value RABBITMQ_HTTP_PORT)}"
  say "Identity     http://127.0.0.1:${identity_port:-5100}"
  for i in $(seq 1 "$COMPOSE_ORDERS_REPLICAS"); do
    say "Orders $i     $(compose_orders_url "$i" || echo '(not running)')"
  done
  say "mail         http://127.0.0.1:${mail_port:-5300} (reset mails Identity sent)"
  say "RabbitMQ     http://127.0.0.1:${rmq_port:-15672} (user admin, password RABBITMQ_ADMIN_PASSWORD in .env)"
  say "operator     $(env_file_value BOOTSTRAP_ADMIN_EMAIL), password BOOTSTRAP_ADMIN_PASSWORD in .env"
  say "stop with './platform compose down' (data kept; 'down -v' deletes it)"
}

compose_down() {
  compose_engine_source
  docker_engine_answers || die "no container engine answers, so no compose stack runs"
  compose down "$@"
}

# The end-to-end suite against the running stack: the scenarios talk to Identity and every Orders replica over HTTP,
# and the fault scenarios stop and start containers through docker.
compose_test() {
  # Every request of the suite comes from this one address, so the stack under test allows it more password
  # attempts per minute than a deployment allows one client; the next plain 'up' restores the default. Exported, so
  # a scenario that takes the stack down and up again through ./platform brings it back the same.
  export IDENTITY_PASSWORD_PERMIT_LIMIT="${IDENTITY_PASSWORD_PERMIT_LIMIT:-1000}"
  compose_up
  local identity_port urls="" i url
  identity_port="${IDENTITY_HTTP_PORT:-$(env_file_value IDENTITY_HTTP_PORT)}"
  for i in $(seq 1 "$COMPOSE_ORDERS_REPLICAS"); do
    url="$(compose_orders_url "$i")" || die "Orders replica $i publishes no port"
    urls="$urls $url"
  done
  urls="${urls# }"
  local mail_port
  mail_port="${MAIL_HTTP_PORT:-$(env_file_value MAIL_HTTP_PORT)}"
  say "building"
  dotnet build "$ROOT/tests/EndToEnd.Tests/EndToEnd.Tests.csproj" -c "${CONFIGURATION:-Debug}" -nologo -v q -clp:ErrorsOnly
  say "running the end-to-end suite against the compose stack"
  local output="$LOG_DIR/compose-test-output.log" rc=0
  mkdir -p "$LOG_DIR"
  # The operator's credentials reach the suite through its environment only, never a command line.
  PLATFORM_IDENTITY_URL="http://127.0.0.1:${identity_port:-5100}" \
    PLATFORM_ORDERS_URL="${urls%% *}" \
    PLATFORM_ORDERS_URLS="$urls" \
    PLATFORM_OPERATOR_EMAIL="$(env_file_value BOOTSTRAP_ADMIN_EMAIL)" \
    PLATFORM_OPERATOR_PASSWORD="$(env_file_value BOOTSTRAP_ADMIN_PASSWORD)" \
    PLATFORM_COMPOSE_PROJECT="$COMPOSE_PROJECT" \
    PLATFORM_DOCKER="$DOCKER" \
    PLATFORM_TEST_MAIL_API="http://127.0.0.1:${mail_port:-5300}/" \
    dotnet test "$ROOT/tests/EndToEnd.Tests/EndToEnd.Tests.csproj" -c "${CONFIGURATION:-Debug}" --no-build -nologo \
    --logger "console;verbosity=normal" "$@" 2>&1 | tee "$output" || rc=$?
  summarize_tests "$output"
  return "$rc"
}

cmd_compose() {
  local sub="${1:-}"
  [ $# -gt 0 ] && shift
  case "$sub" in
    up) compose_up "$@" ;;
    down) compose_down "$@" ;;
    test) compose_test "$@" ;;
    *) die "usage: ./platform compose up|down [-v]|test" ;;
  esac
}
