#!/usr/bin/env bash
# Virtual host, users and least-privilege permissions for the platform. Idempotent: runs on every container start,
# so a password changed in .env takes effect on the next start. Passwords go to rabbitmqctl on stdin, never argv.
# Why each permission exists is explained in deploy/rabbitmq/README.md.
set -euo pipefail

vhost="${RABBITMQ_VHOST:-platform}"
secret() { tr -d '\r\n' <"/run/secrets/$1"; }

# await_startup gives up at once while the node has not registered yet, which happens when this runs first.
for _ in $(seq 1 60); do
  rabbitmqctl -q await_startup --timeout 120 >/dev/null 2>&1 && break
  sleep 2
done
rabbitmqctl -q await_startup --timeout 10

upsert_user() { # name secret-name
  # Without -q: rabbitmqctl reads the password from stdin only when given exactly the command and the user name;
  # any further argument makes it wait for a password argument that never comes.
  if rabbitmqctl -q list_users | awk '{print $1}' | grep -qx "$1"; then
    secret "$2" | rabbitmqctl change_password "$1" >/dev/null
  else
    secret "$2" | rabbitmqctl add_user "$1" >/dev/null
  fi
}

rabbitmqctl -q add_vhost "$vhost" 2>/dev/null || true

upsert_user admin rabbitmq_admin_password
rabbitmqctl -q set_user_tags admin administrator
rabbitmqctl -q set_permissions -p "$vhost" admin '.*' '.*' '.*'

# shellcheck source=deploy/rabbitmq/permissions.sh
source "$(dirname "${BASH_SOURCE[0]}")/permissions.sh"

for user in identity orders; do
  upsert_user "$user" "rabbitmq_${user}_password"
  mapfile -t grant < <(rabbitmq_permissions "$user")
  rabbitmqctl -q set_permissions -p "$vhost" "$user" "${grant[@]}"
done

# The image's default guest user is not needed and has a well-known password.
rabbitmqctl -q delete_user guest >/dev/null 2>&1 || true
