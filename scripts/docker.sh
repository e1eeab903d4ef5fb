# The container engine, Compose v2 and the images the compose stack uses. Sourced, not run.
#
#   docker_ensure     installs Debian's docker.io and Compose v2 when missing, starts dockerd when it is not running
#                     and waits until it answers; fails with one line when no engine can be had
#   standins_ensure   makes every image the compose file names exist: the local copy, else a pull, else a local
#                     stand-in built from Debian 13 packages (deploy/standins/); exports POSTGRES_IMAGE and the
#                     others and writes them to $COMPOSE_IMAGES_FILE for `docker compose --env-file`
#
# Debian's own client is used on purpose: a newer client elsewhere on PATH may insist on buildx for `docker build`.

DOCKER="${PLATFORM_DOCKER:-/usr/bin/docker}"
# 0 on machines whose engine is managed by someone else: use what is there, install nothing.
DOCKER_INSTALL="${PLATFORM_DOCKER_INSTALL:-1}"
DOCKER_DIR="$STATE_DIR/docker"
# Machine-wide, not per checkout: there is one dockerd, and two checkouts must not both start it.
DOCKER_START_LOCK="${PLATFORM_DOCKER_LOCK:-/run/lock/platform-dockerd.lock}"
STANDINS_DIR="$STATE_DIR/standins"
STANDINS_SRC="$ROOT/deploy/standins"
COMPOSE_IMAGES_FILE="$STATE_DIR/compose-images.env"
# Debian 13: the stand-ins' base, and the release whose docker-compose package brings Compose v2 to Debian 12.
STANDIN_SUITE=trixie
STANDIN_MIRROR="${PLATFORM_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# Stand-ins live under a name of their own, never an official one.
STANDIN_PREFIX="${PLATFORM_STANDIN_PREFIX:-platform-standin}"
STANDIN_BASE="$STANDIN_PREFIX/debian:13"
STANDIN_LABEL=org.platform.standin.inputs
DOCKER_PULL_TIMEOUT="${PLATFORM_DOCKER_PULL_TIMEOUT:-20}"
DOTNET_ROOT_DIR="${PLATFORM_DOTNET_ROOT:-$(dirname "$(readlink -f "$(command -v dotnet 2>/dev/null || echo /usr/share/dotnet/dotnet)")")}"

docker_cli() { "$DOCKER" "$@"; }

docker_engine_answers() { docker_cli info >/dev/null 2>&1; }

docker_ensure() {
  mkdir -p "$DOCKER_DIR"
  if ! docker_install; then
    [ "$DOCKER_INSTALL" = 1 ] || die "no container engine: $DOCKER is missing, and PLATFORM_DOCKER_INSTALL=0 says not to install one"
    die "no container engine: docker.io could not be installed (see ${DOCKER_DIR#"$ROOT"/}/apt.log)"
  fi
  if ! compose_install; then
    [ "$DOCKER_INSTALL" = 1 ] || die "no Compose v2 for $DOCKER, and PLATFORM_DOCKER_INSTALL=0 says not to install it"
    die "no Compose v2: docker-compose from Debian 13 could not be installed (see ${DOCKER_DIR#"$ROOT"/}/apt.log)"
  fi
  docker_engine_answers && return 0
  dockerd_start || die "no container engine: dockerd did not start (see ${DOCKER_DIR#"$ROOT"/}/dockerd.log)"
}

docker_install() {
  [ -x "$DOCKER" ] && { docker_engine_answers || command -v dockerd >/dev/null 2>&1; } && return 0
  [ "$DOCKER_INSTALL" = 1 ] && command -v apt-get >/dev/null 2>&1 || return 1
  say "installing docker.io"
  {
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
      && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io iptables
  } >>"$DOCKER_DIR/apt.log" 2>&1 && [ -x "$DOCKER" ]
}

# Compose v2 as the docker CLI plugin from Debian 13's package, fetched with a private apt configuration so the
# machine's own sources and package lists stay untouched.
compose_install() {
  docker_cli compose version >/dev/null 2>&1 && return 0
  [ "$DOCKER_INSTALL" = 1 ] && command -v apt-get >/dev/null 2>&1 || return 1
  say "installing Compose v2 from Debian 13"
  local apt="$DOCKER_DIR/apt"
  rm -rf "$apt"
  mkdir -p "$apt/state/lists/partial" "$apt/cache/archives/partial" "$apt/parts" "$apt/debs"
  echo "deb $STANDIN_MIRROR $STANDIN_SUITE main" >"$apt/sources.list"
  local opts=(-o "Dir::State=$apt/state" -o "Dir::State::status=/var/lib/dpkg/status" -o "Dir::Cache=$apt/cache"
    -o "Dir::Etc::sourcelist=$apt/sources.list" -o "Dir::Etc::sourceparts=$apt/parts" -o Debug::NoLocking=1)
  {
    apt-get "${opts[@]}" update -qq \
      && (cd "$apt/debs" && apt-get "${opts[@]}" download docker-compose) \
      && as_root dpkg -i "$apt"/debs/docker-compose_*.deb
  } >>"$DOCKER_DIR/apt.log" 2>&1 && docker_cli compose version >/dev/null 2>&1
}

# Idempotent and safe to race: whoever holds the lock starts dockerd, the others find it answering.
dockerd_start() {
  command -v dockerd >/dev/null 2>&1 || return 1
  mkdir -p "$(dirname "$DOCKER_START_LOCK")"
  (
    flock -w 120 9 || exit 1
    docker_engine_answers && exit 0
    say "starting dockerd (log: ${DOCKER_DIR#"$ROOT"/}/dockerd.log)"
    # exec, not a shell function: the daemon outlives this run, so it must not keep any descriptor the shell holds
    # (the caller's output pipe among them), or whoever reads that pipe waits for the daemon forever.
    local sudo=()
    [ "$(id -u)" = 0 ] || sudo=(sudo)
    (exec ${sudo[@]+"${sudo[@]}"} setsid nohup dockerd >>"$DOCKER_DIR/dockerd.log" 2>&1 </dev/null 9>&-) &
    echo $! >"$DOCKER_DIR/dockerd.pid"
    for _ in $(seq 1 120); do
      docker_engine_answers && exit 0
      kill -0 "$(cat "$DOCKER_DIR/dockerd.pid")" 2>/dev/null || exit 1
      sleep 0.5
    done
    exit 1
  ) 9>>"$DOCKER_START_LOCK"
}

# --- images -----------------------------------------------------------------------------------------------------

# Each image the compose stack names: variable, official default, stand-in name, stand-in folder.
STANDIN_IMAGES=(
  "POSTGRES_IMAGE postgres:17 $STANDIN_PREFIX/postgres:17 postgres"
  "RABBITMQ_IMAGE rabbitmq:4-management $STANDIN_PREFIX/rabbitmq:4-management rabbitmq"
  "DOTNET_SDK_IMAGE mcr.microsoft.com/dotnet/sdk:10.0 $STANDIN_PREFIX/dotnet-sdk:10.0 dotnet-sdk"
  "DOTNET_ASPNET_IMAGE mcr.microsoft.com/dotnet/aspnet:10.0 $STANDIN_PREFIX/dotnet-aspnet:10.0 dotnet-aspnet"
  "SMTP4DEV_IMAGE rnwood/smtp4dev:v3 $STANDIN_PREFIX/smtp4dev:3 smtp4dev"
)

standins_ensure() {
  mkdir -p "$STANDINS_DIR"
  local entry var official standin folder wanted
  local -a missing=()
  # Pulls first, side by side, so a machine without registry access waits one timeout rather than five.
  for entry in "${STANDIN_IMAGES[@]}"; do
    read -r var official standin folder <<<"$entry"
    wanted="${!var:-$official}"
    case "$wanted" in "$STANDIN_PREFIX"/*) continue ;; esac
    image_present "$wanted" || missing+=("$wanted")
  done
  [ ${#missing[@]} -eq 0 ] || images_pull "${missing[@]}"
  : >"$COMPOSE_IMAGES_FILE.tmp"
  for entry in "${STANDIN_IMAGES[@]}"; do
    read -r var official standin folder <<<"$entry"
    wanted="${!var:-$official}"
    if [[ "$wanted" != "$STANDIN_PREFIX"/* ]] && image_present "$wanted"; then
      :
    else
      standin_build "$folder" "$standin"
      wanted="$standin"
    fi
    export "$var=$wanted"
    echo "$var=$wanted" >>"$COMPOSE_IMAGES_FILE.tmp"
  done
  mv "$COMPOSE_IMAGES_FILE.tmp" "$COMPOSE_IMAGES_FILE"
  say "images: $(tr '\n' ' ' <"$COMPOSE_IMAGES_FILE")"
}

image_present() { docker_cli image inspect "$1" >/dev/null 2>&1; }

image_label() { docker_cli image inspect -f "{{ index .Config.Labels \"$STANDIN_LABEL\" }}" "$1" 2>/dev/null || true; }

image_id() { docker_cli image inspect -f '{{.Id}}' "$1" 2>/dev/null || true; }

images_pull() {
  local image pids=()
  say "pulling $* (at most ${DOCKER_PULL_TIMEOUT}s)"
  for image in "$@"; do
    timeout "$DOCKER_PULL_TIMEOUT" "$DOCKER" pull -q "$image" >>"$STANDINS_DIR/pull.log" 2>&1 &
    pids+=($!)
  done
  for image in "${pids[@]}"; do wait "$image" || true; done
}

# Builds the stand-in unless an image of that name was built from the same inputs.
standin_build() { # folder image
  local folder="$1" image="$2" inputs hash
  standin_base_ensure
  inputs="$(standin_inputs "$folder")"
  hash="$(printf '%s\n' "$inputs" | sha256sum | cut -c1-32)"
  [ "$(image_label "$image")" = "$hash" ] && return 0
  say "building the stand-in $image"
  local context="$STANDINS_DIR/context/$folder" log="$STANDINS_DIR/$folder.log"
  rm -rf "$context"
  mkdir -p "$context"
  cp -a "$STANDINS_SRC/$folder/." "$context/"
  "standin_context_$(tr - _ <<<"$folder")" "$context"
  local -a args=()
  case "$folder" in
    smtp4dev) ;;
    *) args+=(--build-arg "BASE_IMAGE=$STANDIN_BASE") ;;
  esac
  case "$folder" in
    dotnet-sdk) [ -z "${NUGET_CERT_REVOCATION_MODE:-}" ] || args+=(--build-arg "NUGET_CERT_REVOCATION_MODE=$NUGET_CERT_REVOCATION_MODE") ;;
    smtp4dev) args+=(--build-arg "SDK_IMAGE=$(standin_sdk_image)" --build-arg "RUNTIME_IMAGE=$(standin_aspnet_image)") ;;
  esac
  DOCKER_BUILDKIT=0 docker_cli build --label "$STANDIN_LABEL=$hash" ${args[@]+"${args[@]}"} -t "$image" "$context" >"$log" 2>&1 \
    || die "building the stand-in $image failed (see ${log#"$ROOT"/})"
  rm -rf "$context"
}

# Everything a stand-in is made of, one line each; its hash decides whether the image is rebuilt.
standin_inputs() { # folder
  local folder="$1"
  (cd "$STANDINS_SRC/$folder" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
  echo "base $(image_id "$STANDIN_BASE")"
  case "$folder" in
    dotnet-sdk)
      dotnet_tree_listing
      ca_certificates | xargs -r sha256sum
      echo "revocation ${NUGET_CERT_REVOCATION_MODE:-}"
      ;;
    dotnet-aspnet)
      dotnet_tree_listing
      ;;
    smtp4dev)
      echo "sdk $(image_id "$(standin_sdk_image)")"
      echo "runtime $(image_id "$(standin_aspnet_image)")"
      ;;
  esac
}

# The mail catcher is installed by, and runs on, whichever .NET images the stack itself uses.
standin_sdk_image() { echo "${DOTNET_SDK_IMAGE:-$STANDIN_PREFIX/dotnet-sdk:10.0}"; }
standin_aspnet_image() { echo "${DOTNET_ASPNET_IMAGE:-$STANDIN_PREFIX/dotnet-aspnet:10.0}"; }

# The installed SDK and runtime versions stand for the whole tree, so a warm run reads no file of it.
dotnet_tree_listing() {
  [ -x "$DOTNET_ROOT_DIR/dotnet" ] || die "no .NET SDK at $DOTNET_ROOT_DIR (set PLATFORM_DOTNET_ROOT)"
  echo "dotnet $DOTNET_ROOT_DIR"
  ls "$DOTNET_ROOT_DIR/sdk" "$DOTNET_ROOT_DIR/host/fxr" "$DOTNET_ROOT_DIR"/shared/*
}

ca_certificates() { find /usr/local/share/ca-certificates -type f -name '*.crt' 2>/dev/null | sort; }

# The runtime version the SDK runs on, the one the aspnet stand-in carries.
dotnet_runtime_version() {
  "$DOTNET_ROOT_DIR/dotnet" --list-runtimes | awk '$1 == "Microsoft.AspNetCore.App" {print $2}' | sort -V | tail -n 1
}

# Build contexts hold hard links (copies across file systems) of the local .NET tree, never the repository.
copy_tree() { cp -al "$1" "$2" 2>/dev/null || cp -a "$1" "$2"; }

standin_context_postgres() { :; }
standin_context_rabbitmq() { :; }
standin_context_smtp4dev() { :; }

standin_context_dotnet_sdk() {
  local context="$1"
  copy_tree "$DOTNET_ROOT_DIR" "$context/dotnet"
  mkdir -p "$context/ca-certificates"
  ca_certificates | xargs -r cp -t "$context/ca-certificates"
}

standin_context_dotnet_aspnet() {
  local context="$1" version
  version="$(dotnet_runtime_version)"
  [ -n "$version" ] || die "the .NET SDK at $DOTNET_ROOT_DIR has no ASP.NET Core runtime"
  mkdir -p "$context/dotnet/shared/Microsoft.NETCore.App" "$context/dotnet/shared/Microsoft.AspNetCore.App"
  copy_tree "$DOTNET_ROOT_DIR/dotnet" "$context/dotnet/dotnet"
  copy_tree "$DOTNET_ROOT_DIR/host" "$context/dotnet/host"
  copy_tree "$DOTNET_ROOT_DIR/shared/Microsoft.NETCore.App/$version" "$context/dotnet/shared/Microsoft.NETCore.App/$version"
  copy_tree "$DOTNET_ROOT_DIR/shared/Microsoft.AspNetCore.App/$version" "$context/dotnet/shared/Microsoft.AspNetCore.App/$version"
  local file
  for file in LICENSE.txt ThirdPartyNotices.txt; do
    [ -f "$DOTNET_ROOT_DIR/$file" ] && copy_tree "$DOTNET_ROOT_DIR/$file" "$context/dotnet/$file"
  done
  return 0
}

# The base of every stand-in: a minimal Debian 13 made by debootstrap. The root file system is kept as a tarball,
# so removing the image does not mean downloading Debian again.
standin_base_ensure() {
  local hash tarball="$STANDINS_DIR/debian-13.tar"
  mkdir -p "$STANDINS_DIR"
  hash="$(printf '%s\n' "$STANDIN_SUITE" "$STANDIN_MIRROR" minbase | sha256sum | cut -c1-32)"
  [ "$(image_label "$STANDIN_BASE")" = "$hash" ] && return 0
  if [ ! -f "$tarball" ] || [ "$(cat "$tarball.inputs" 2>/dev/null)" != "$hash" ]; then
    standin_debootstrap "$tarball"
    echo "$hash" >"$tarball.inputs"
  fi
  say "importing $STANDIN_BASE"
  docker_cli import --change "LABEL $STANDIN_LABEL=$hash" --change 'ENV LANG=C.UTF-8' --change 'CMD ["bash"]' \
    "$tarball" "$STANDIN_BASE" >/dev/null || die "docker import of $STANDIN_BASE failed"
}

standin_debootstrap() { # tarball
  local rootfs="$STANDINS_DIR/rootfs" log="$STANDINS_DIR/debootstrap.log"
  if ! command -v debootstrap >/dev/null 2>&1; then
    say "installing debootstrap"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >"$log" 2>&1 \
      || die "apt-get install debootstrap failed (see ${log#"$ROOT"/})"
  fi
  say "building a Debian 13 root file system with debootstrap"
  as_root rm -rf "$rootfs"
  as_root debootstrap --variant=minbase "$STANDIN_SUITE" "$rootfs" "$STANDIN_MIRROR" >>"$log" 2>&1 \
    || die "debootstrap $STANDIN_SUITE failed (see ${log#"$ROOT"/})"
  # Package lists and downloaded packages only make the image larger; each stand-in runs apt-get update itself.
  as_root rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  as_root tar --numeric-owner -C "$rootfs" -cf "$1.tmp" .
  mv "$1.tmp" "$1"
  as_root rm -rf "$rootfs"
}
