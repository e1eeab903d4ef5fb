#!/usr/bin/env bash
# As the official image: anything but rabbitmq-server runs as given; the broker runs as the rabbitmq user and owns
# its data volume.
set -euo pipefail
# shellcheck source=deploy/standins/rabbitmq/erlang-cookie.sh
source /usr/local/lib/rabbitmq-standin/erlang-cookie.sh

[ "${1:0:1}" = '-' ] && set -- rabbitmq-server "$@"
erlang_cookie_ensure
if [ "$1" = rabbitmq-server ] && [ "$(id -u)" = 0 ]; then
  chown -R rabbitmq:rabbitmq /var/lib/rabbitmq /var/log/rabbitmq
  exec setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups "$@"
fi
exec "$@"
