#!/usr/bin/env bash
# rabbitmq-server, rabbitmqctl and the other tools, called by their own name: the package's script after the
# Erlang cookie exists.
set -euo pipefail
# shellcheck source=deploy/standins/rabbitmq/erlang-cookie.sh
source /usr/local/lib/rabbitmq-standin/erlang-cookie.sh
erlang_cookie_ensure
exec "/usr/lib/rabbitmq/bin/$(basename "$0")" "$@"
