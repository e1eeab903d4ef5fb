#!/usr/bin/env bash
# Virtual host, users and least-privilege permissions for the platform. Idempotent: runs on every container start,
# so a password changed in .env takes effect on the next start. Passwords go to rabbitmqctl on stdin, never argv.
# Why each permission exists is explained in deploy/rabbitmq/README.md.
set -euo pipefail

vhost="${RABBITMQ_VHOST:-platform}"
secret() { tr -d '\r\n' <"/run/secrets/$1"; }

rabbitmqctl -q await_startup --timeout 120

upsert_user() { # name secret-name
  if rabbitmqctl -q list_users | awk '{print $1}' | grep -qx "$1"; then
    secret "$2" | rabbitmqctl -q change_password "$1" >/dev/null
  else
    secret "$2" | rabbitmqctl -q add_user "$1" >/dev/null
  fi
}

rabbitmqctl -q add_vhost "$vhost" 2>/dev/null || true

upsert_user admin rabbitmq_admin_password
rabbitmqctl -q set_user_tags admin administrator
rabbitmqctl -q set_permissions -p "$vhost" admin '.*' '.*' '.*'

# MassTransit names: message-type exchanges "Platform.Contracts:<Type>", one exchange + queue per receive endpoint
# (plus "<queue>_error" and "<queue>_skipped"), and a temporary "<host>_<process>_bus_<id>" endpoint per process
# that receives request responses. A consumer that fails publishes Fault<T> to "MassTransit:Fault--<type>--".
contracts='Platform\.Contracts:.*'
bus='.*_bus_.*'
faults='MassTransit:Fault--.*'
# Endpoint names as the services choose them: Identity's kebab-case consumer endpoint, Orders' "orders-revocation*".
identity_endpoints="${IDENTITY_ENDPOINTS:-identity.*|get-active-revocations.*}"
orders_endpoints="${ORDERS_ENDPOINTS:-orders.*|revocation.*}"

upsert_user identity rabbitmq_identity_password
# Identity declares and publishes the event exchanges, answers GetActiveRevocations from its own endpoint and
# replies into the requester's bus exchange.
rabbitmqctl -q set_permissions -p "$vhost" identity \
  "^($contracts|$bus|$faults|$identity_endpoints)\$" \
  "^($contracts|$bus|$faults|$identity_endpoints)\$" \
  "^(Platform\.Contracts:GetActiveRevocations|$bus|$identity_endpoints)\$"

upsert_user orders rabbitmq_orders_password
# Orders binds its queues to the event exchanges (read on them), declares its own endpoints and sends the
# GetActiveRevocations request (write on that one exchange only: it can never publish a revocation).
rabbitmqctl -q set_permissions -p "$vhost" orders \
  "^($contracts|$bus|$faults|$orders_endpoints)\$" \
  "^(Platform\.Contracts:GetActiveRevocations|$bus|$faults|$orders_endpoints)\$" \
  "^($contracts|$bus|$orders_endpoints)\$"

# The image's default guest user is not needed and has a well-known password.
rabbitmqctl -q delete_user guest >/dev/null 2>&1 || true
