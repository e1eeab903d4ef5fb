#!/usr/bin/env bash
# Container health probe: exit 0 only when GET http://127.0.0.1:<port><path> answers 200.
# The aspnet runtime image has neither curl nor wget, but it has bash, whose /dev/tcp gives a plain HTTP/1.1
# exchange with no extra package and no second runtime start per probe.
set -euo pipefail
port="${1:?usage: http-health PORT PATH}"
path="${2:?usage: http-health PORT PATH}"

exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3
IFS= read -r -t 4 status <&3 || exit 1
[[ "$status" == "HTTP/1."[01]" 200"* ]]
