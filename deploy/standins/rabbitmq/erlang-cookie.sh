# Sourced. Creates the Erlang cookie once per data volume, before the broker or any CLI tool starts: whichever
# starts first would otherwise create it, and one created by root is unreadable for the broker's user.
erlang_cookie_ensure() {
  local cookie=/var/lib/rabbitmq/.erlang.cookie tmp
  [ -s "$cookie" ] && return 0
  [ "$(id -u)" = 0 ] || [ -w /var/lib/rabbitmq ] || return 0
  tmp="$(mktemp /var/lib/rabbitmq/.erlang.cookie.XXXXXX)"
  head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32 >"$tmp"
  chmod 400 "$tmp"
  [ "$(id -u)" = 0 ] && chown rabbitmq:rabbitmq "$tmp"
  # A hard link never replaces an existing file, so two racing starts agree on the first cookie.
  ln "$tmp" "$cookie" 2>/dev/null || true
  rm -f "$tmp"
}
