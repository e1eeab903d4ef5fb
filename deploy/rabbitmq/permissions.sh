# The RabbitMQ permissions of the platform's service users: the one definition that the compose broker
# (deploy/rabbitmq/provision.sh), the local broker (scripts/infra.sh) and the tests apply. Sourced, not run.
# Why each name is needed is explained in deploy/rabbitmq/README.md.
#
#   rabbitmq_permissions USER   prints three lines: USER's configure, write and read regex (anchored);
#                               USER is identity or orders (a resource server)
#
# RabbitMQ checks declaring or deleting an exchange or queue as configure on its name, publishing as write on the
# exchange, consuming as read on the queue, and a binding as write on its destination and read on its source.

# Message-type exchanges are "Platform.Contracts:<Type>".
RABBITMQ_CONTRACTS='Platform\.Contracts'
# What Identity publishes, and the part of it every resource server consumes.
RABBITMQ_IDENTITY_EVENTS='UserDeactivated|SessionRevoked|SigningKeyRevoked|ClientDisabled|PasswordResetRequested'
RABBITMQ_REVOCATION_EVENTS='UserDeactivated|SessionRevoked|SigningKeyRevoked|ClientDisabled'
# What every resource-server instance reports back to Identity: receipts of the revocations it applied, and a heartbeat.
RABBITMQ_RECEIPTS='RevocationReceiptsSent|InstanceHeartbeatSent'
# A process names its own endpoints "<service>-<purpose>-<host>-<32 hex digits>", so several instances of a service
# never share them, and MassTransit adds "<queue>_error" and "<queue>_skipped" dead-letter queues next to each.
RABBITMQ_INSTANCE='[a-z0-9-]+-[0-9a-f]{32}'
RABBITMQ_DEAD_LETTER='(_error|_skipped)?'
# Resource servers are named with lower-case words, e.g. "orders".
RABBITMQ_SERVICE='[a-z0-9]+(-[a-z0-9]+)*'

rabbitmq_permissions() { # user
  local c="$RABBITMQ_CONTRACTS" dead="$RABBITMQ_DEAD_LETTER" instance="$RABBITMQ_INSTANCE"
  case "$1" in
    identity)
      # Its catch-up endpoint, its receipt and heartbeat endpoints and its own bus endpoint; it answers into each
      # requester's bus endpoint, and a failed catch-up request without a reply address publishes a fault.
      local own="(get-active-revocations|revocation-receipts|instance-heartbeats|identity-bus-$instance)$dead"
      local replies="$RABBITMQ_SERVICE-bus-$instance"
      local fault="MassTransit:Fault--$c:GetActiveRevocations--"
      printf '%s\n' \
        "^($c:($RABBITMQ_IDENTITY_EVENTS|GetActiveRevocations|$RABBITMQ_RECEIPTS)|$own|$replies|$fault)\$" \
        "^($c:($RABBITMQ_IDENTITY_EVENTS)|$own|$replies|$fault)\$" \
        "^($c:(GetActiveRevocations|$RABBITMQ_RECEIPTS)|$own)\$"
      ;;
    orders)
      rabbitmq_resource_server_permissions "$1"
      ;;
    *)
      printf 'rabbitmq_permissions: no permissions defined for user %s\n' "$1" >&2
      return 1
      ;;
  esac
}

rabbitmq_resource_server_permissions() { # service name, as in its queue names
  local c="$RABBITMQ_CONTRACTS" dead="$RABBITMQ_DEAD_LETTER" instance="$RABBITMQ_INSTANCE"
  # A resource server: its per-instance queue, its shared store queue and its bus endpoint (where the catch-up
  # answer arrives). It declares the event exchanges it binds (configure, read) and the exchanges it publishes to
  # (configure, write): the catch-up request, its receipts and its heartbeats; it never reads another event nor
  # writes any of Identity's events.
  local own="$1-(revocation-store|revocations-$instance|bus-$instance)$dead"
  printf '%s\n' \
    "^($c:($RABBITMQ_REVOCATION_EVENTS|GetActiveRevocations|$RABBITMQ_RECEIPTS)|$own)\$" \
    "^($c:(GetActiveRevocations|$RABBITMQ_RECEIPTS)|$own)\$" \
    "^($c:($RABBITMQ_REVOCATION_EVENTS)|$own)\$"
}
