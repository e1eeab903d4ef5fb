# Identity and Orders as background processes. Sourced, not run.

SERVICES_CONFIGURATION="${CONFIGURATION:-Release}"
IDENTITY_DATA_DIR="$STATE_DIR/identity"

service_dll() { # name
  local name="$1"
  echo "$ROOT/${name^}/bin/$SERVICES_CONFIGURATION/net10.0/Platform.${name^}.dll"
}

service_running() { pid_alive "$RUN_DIR/$1.pid"; }

# Each variable keeps the caller's value when set, so 'up' can be steered from the environment.
service_env_identity() {
  export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
  export ConnectionStrings__Identity="${ConnectionStrings__Identity:-$(pg_connection_string identity "$PG_IDENTITY_PASSWORD" identity)}"
  export ConnectionStrings__RabbitMq="${ConnectionStrings__RabbitMq:-$(rmq_uri identity "$RMQ_IDENTITY_PASSWORD")}"
  export Identity__Issuer="${Identity__Issuer:-http://localhost:$IDENTITY_PORT}"
  export Identity__KeyEncryptionKey="${Identity__KeyEncryptionKey:-$IDENTITY_KEY_ENCRYPTION_KEY}"
  export Identity__DataDirectory="${Identity__DataDirectory:-$IDENTITY_DATA_DIR}"
  export Identity__BootstrapAdmin__Email="${Identity__BootstrapAdmin__Email:-admin@platform.local}"
  # Reset mails go to the local mail catcher, never to a real mailbox.
  export Identity__Mail__Host="${Identity__Mail__Host:-127.0.0.1}"
  export Identity__Mail__Port="${Identity__Mail__Port:-$MAIL_SMTP_PORT}"
  export Identity__Mail__Security="${Identity__Mail__Security:-None}"
  export Identity__Mail__From="${Identity__Mail__From:-Platform <no-reply@platform.local>}"
}

service_env_orders() {
  export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
  export ConnectionStrings__Orders="${ConnectionStrings__Orders:-$(pg_connection_string orders "$PG_ORDERS_PASSWORD" orders)}"
  export ConnectionStrings__RabbitMq="${ConnectionStrings__RabbitMq:-$(rmq_uri orders "$RMQ_ORDERS_PASSWORD")}"
  export Orders__Authority="${Orders__Authority:-http://localhost:$IDENTITY_PORT}"
  export Orders__Audience="${Orders__Audience:-orders}"
}

service_start() { # name port
  local name="$1" port="$2"
  service_running "$name" && { say "$name already running"; return 0; }
  require_free_port "$port" "$name"
  mkdir -p "$IDENTITY_DATA_DIR"
  say "starting $name on http://localhost:$port"
  (
    "service_env_$name"
    export ASPNETCORE_URLS="http://localhost:$port"
    cd "$ROOT/${name^}"
    setsid dotnet "$(service_dll "$name")" >>"$LOG_DIR/$name.log" 2>&1 </dev/null &
    echo $! >"$RUN_DIR/$name.pid"
  )
}

service_stop() { # name
  local name="$1" pid
  service_running "$name" || { rm -f "$RUN_DIR/$name.pid"; return 0; }
  pid="$(cat "$RUN_DIR/$name.pid")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$RUN_DIR/$name.pid"
}

wait_ready() { # name port seconds
  local name="$1" port="$2" seconds="$3"
  for _ in $(seq 1 $((seconds * 2))); do
    service_running "$name" || return 1
    curl -fsS -o /dev/null "http://localhost:$port/health/ready" 2>/dev/null && return 0
    sleep 0.5
  done
  return 1
}

services_up() {
  say "building the services ($SERVICES_CONFIGURATION)"
  : >"$LOG_DIR/build.log"
  local project
  for project in Identity Orders; do
    dotnet build "$ROOT/$project/$project.csproj" -c "$SERVICES_CONFIGURATION" -nologo -v q -clp:ErrorsOnly >>"$LOG_DIR/build.log" 2>&1 \
      || { tail -n 20 "$LOG_DIR/build.log" >&2; die "the build of $project failed (see $LOG_DIR/build.log)"; }
  done
  local started=()
  service_running identity || started+=(identity)
  service_running orders || started+=(orders)
  # A failed start leaves nothing half-running: what this call started is stopped again.
  trap 'for s in "${started[@]}"; do service_stop "$s"; done' ERR
  service_start identity "$IDENTITY_PORT"
  wait_ready identity "$IDENTITY_PORT" 90 || { fail_start identity "${started[@]}"; }
  service_start orders "$ORDERS_PORT"
  wait_ready orders "$ORDERS_PORT" 90 || { fail_start orders "${started[@]}"; }
  trap - ERR
}

fail_start() { # failed-name started-names...
  local failed="$1"; shift
  tail -n 20 "$LOG_DIR/$failed.log" >&2 || true
  for s in "$@"; do service_stop "$s"; done
  die "$failed did not become ready (see $LOG_DIR/$failed.log)"
}

services_down() {
  service_stop orders
  service_stop identity
}

services_status() {
  local name port
  for name in identity orders; do
    port="$IDENTITY_PORT"; [ "$name" = orders ] && port="$ORDERS_PORT"
    if service_running "$name"; then
      local ready="not ready"
      curl -fsS -o /dev/null "http://localhost:$port/health/ready" 2>/dev/null && ready="ready"
      say "$(printf '%-10s running  http://localhost:%s (%s)' "$name" "$port" "$ready")"
    else
      say "$(printf '%-10s stopped' "$name")"
    fi
  done
}

services_print_usage() {
  local email="${Identity__BootstrapAdmin__Email:-admin@platform.local}"
  local pwfile="$IDENTITY_DATA_DIR/bootstrap-admin-password"
  cat <<EOF

Platform is ready.
  Identity  http://localhost:$IDENTITY_PORT   (JWKS: /.well-known/jwks.json)
  Orders    http://localhost:$ORDERS_PORT
  Operator  $email, password in ${pwfile#"$ROOT"/} (unless Identity__BootstrapAdmin__Password was set)
  Mail      http://localhost:$MAIL_WEB_PORT   (smtp4dev: every mail Identity sends, e.g. password resets)
  Logs      ./platform logs      Stop: ./platform down

Try it (sign up, log in, place an order):
  curl -s -X POST http://localhost:$IDENTITY_PORT/users -H 'Content-Type: application/json' -d '{"email":"ada@example.com","password":"ada-lovelace-1815-analytical"}'
  TOKEN=\$(curl -s -X POST http://localhost:$IDENTITY_PORT/auth/login -H 'Content-Type: application/json' -d '{"email":"ada@example.com","password":"ada-lovelace-1815-analytical"}' | sed -E 's/.*"accessToken":"([^"]+)".*/\1/')
  curl -s -X POST http://localhost:$ORDERS_PORT/orders -H "Authorization: Bearer \$TOKEN" -H 'Content-Type: application/json' -d '{"items":[{"sku":"BOOK-1","quantity":2,"unitPrice":12.50}]}'
EOF
}
