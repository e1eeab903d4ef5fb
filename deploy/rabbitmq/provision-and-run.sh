#!/usr/bin/env bash
# Entry point of the rabbitmq container: the image's own entry point runs the broker, and the users are
# (re)created from the secret files once it answers. The health check waits for the marker file, so Identity
# and Orders never connect before their users exist.
set -euo pipefail

rm -f /tmp/platform-provisioned
docker-entrypoint.sh rabbitmq-server &
broker=$!
trap 'kill -TERM "$broker" 2>/dev/null; wait "$broker"' TERM INT

/opt/platform/provision.sh
touch /tmp/platform-provisioned
wait "$broker"
