#!/usr/bin/env bash
# Bring up the container engines xtest's integration tests use, on a Debian
# host, as root. Idempotent: safe to run again and again (CI runs it with CI=true).
#
#   1. apt-get install docker.io podman catatonit libxml2-utils iproute2 curl
#      (only what is missing; `apt-get update` only when something is missing)
#   2. dockerd in the background (log: /tmp/dockerd.log) unless `docker info` works;
#      waits up to 60 s and exits 1 if it does not come up.            REQUIRED
#   3. Podman: /etc/containers/containers.conf (default_ulimits = []), then
#      `podman system service` on unix:///run/podman/podman.sock
#      (log: /tmp/podman-service.log).                                  OPTIONAL
#   4. scripts/build-base-image.sh docker (+ podman if Podman works): xtest-node:<major>
#      from XTEST_BASE_NODE (default: the host's node), named XTEST_BASE_IMAGE if set
#
# Nothing is ever pulled: no registry is reachable. The base image is imported
# from the host's own node/git binaries (see scripts/build-base-image.sh).
#
# Env: XTEST_BASE_NODE     node binary for the base image (default: the host's node)
#      XTEST_BASE_IMAGE    its name (default: xtest-node:<major of that node>)
#      XTEST_SKIP_PODMAN=1  skip Podman entirely
#      DOCKERD_ARGS         extra arguments for dockerd (e.g. "--iptables=false")
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
PODMAN_SOCK=/run/podman/podman.sock
DOCKERD_LOG=/tmp/dockerd.log
PODMAN_LOG=/tmp/podman-service.log
CONTAINERS_CONF=/etc/containers/containers.conf

say()  { echo "[engine] $*"; }
warn() { echo "[engine] WARNING: $*" >&2; }
die()  { echo "[engine] ERROR: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (installs packages, starts dockerd)"

# --- 1. packages ---------------------------------------------------------------
need=()
have_cmd() { command -v "$1" >/dev/null 2>&1; }
have_cmd dockerd  || need+=(docker.io)
have_cmd podman   || need+=(podman)
{ have_cmd catatonit || [ -x /usr/libexec/podman/catatonit ]; } || need+=(catatonit)
have_cmd xmllint  || need+=(libxml2-utils)
have_cmd ip       || need+=(iproute2)
have_cmd curl     || need+=(curl)
if [ "${#need[@]}" -gt 0 ]; then
  say "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q || die "apt-get update failed"
  if ! apt-get install -y -q --no-install-recommends "${need[@]}"; then
    # podman/catatonit are optional: retry with the required packages only
    req=(); for p in "${need[@]}"; do case "$p" in podman|catatonit) ;; *) req+=("$p") ;; esac; done
    [ "${#req[@]}" -eq 0 ] || apt-get install -y -q --no-install-recommends "${req[@]}" \
      || die "apt-get install ${req[*]} failed"
    warn "could not install podman/catatonit; Podman will be skipped"
  fi
fi
have_cmd dockerd || die "dockerd not found after install"

# --- 2. dockerd ------------------------------------------------------------------
if docker info >/dev/null 2>&1; then
  say "docker: already up"
else
  if pgrep -x dockerd >/dev/null 2>&1; then
    say "docker: dockerd process exists, waiting for it"
  else
    say "docker: starting dockerd (log: $DOCKERD_LOG)"
    # shellcheck disable=SC2086
    # From /: a daemon keeps the folder it starts in as its working directory, and a clone removed later would break it.
    (cd / && setsid nohup dockerd ${DOCKERD_ARGS:-} >>"$DOCKERD_LOG" 2>&1 </dev/null &)
  fi
  up=0
  for _ in $(seq 1 60); do
    if docker info >/dev/null 2>&1; then up=1; break; fi
    sleep 1
  done
  if [ "$up" != 1 ]; then
    echo "----- last lines of $DOCKERD_LOG -----" >&2
    tail -n 40 "$DOCKERD_LOG" >&2 2>/dev/null || true
    die "dockerd did not come up within 60 s (see $DOCKERD_LOG)"
  fi
  say "docker: up"
fi
docker version --format 'docker: client {{.Client.Version}}, server {{.Server.Version}} (API {{.Server.APIVersion}})' 2>/dev/null || true
[ -x /usr/bin/docker-init ] || [ -x /usr/libexec/docker/docker-init ] \
  || warn "docker-init not found: 'docker run --init' will fail (install tini)"

# --- 3. Podman (optional) -------------------------------------------------------
podman_ok=0
setup_podman() {
  have_cmd podman || { warn "podman not installed"; return 1; }
  mkdir -p /etc/containers /run/podman
  local marker="# managed by xtest .ci/engine.sh"
  if [ ! -e "$CONTAINERS_CONF" ] || head -n1 "$CONTAINERS_CONF" | grep -qF "$marker"; then
    local init_line=""
    # `--init` needs catatonit at /usr/libexec/podman/catatonit; tini works too.
    if [ ! -x /usr/libexec/podman/catatonit ]; then
      if have_cmd catatonit; then init_line="init_path = \"$(command -v catatonit)\""
      elif [ -x /usr/bin/docker-init ]; then init_line='init_path = "/usr/bin/docker-init"'
      fi
    fi
    local want
    want="$(printf '%s\n%s\n%s\n%s\n' "$marker" '[containers]' \
      '# podman (as root) raises RLIMIT_NOFILE to 1048576 by default, above this' \
      '# host'"'"'s hard limit -> "error setting rlimit type 7: operation not permitted".')"
    want+=$'\n''default_ulimits = []'
    [ -n "$init_line" ] && want+=$'\n'"$init_line"
    want+=$'\n'
    if [ "$(cat "$CONTAINERS_CONF" 2>/dev/null)"$'\n' != "$want" ]; then
      printf '%s' "$want" > "$CONTAINERS_CONF"
      say "podman: wrote $CONTAINERS_CONF"
    fi
  elif ! grep -qE '^\s*default_ulimits\s*=\s*\[\s*\]' "$CONTAINERS_CONF"; then
    warn "$CONTAINERS_CONF exists (not managed by xtest) without 'default_ulimits = []'; podman run may fail with rlimit errors"
  fi

  if curl -sf --max-time 3 --unix-socket "$PODMAN_SOCK" http://d/_ping >/dev/null 2>&1; then
    say "podman: service already answering on $PODMAN_SOCK"
  else
    if pgrep -f "podman system service .*$PODMAN_SOCK" >/dev/null 2>&1; then
      say "podman: service process exists, waiting for it"
    else
      rm -f "$PODMAN_SOCK"
      say "podman: starting 'podman system service' (log: $PODMAN_LOG)"
      # From /: conmon needs the service's working directory; a removed clone failed every container after it.
      (cd / && setsid nohup podman system service --time=0 "unix://$PODMAN_SOCK" >>"$PODMAN_LOG" 2>&1 </dev/null &)
    fi
    local ok=0
    for _ in $(seq 1 30); do
      if curl -sf --max-time 3 --unix-socket "$PODMAN_SOCK" http://d/_ping >/dev/null 2>&1; then ok=1; break; fi
      sleep 1
    done
    [ "$ok" = 1 ] || { tail -n 20 "$PODMAN_LOG" >&2 2>/dev/null; warn "podman service did not answer on $PODMAN_SOCK within 30 s"; return 1; }
    say "podman: service up on unix://$PODMAN_SOCK"
  fi
  return 0
}
if [ "${XTEST_SKIP_PODMAN:-0}" = 1 ]; then
  say "podman: skipped (XTEST_SKIP_PODMAN=1)"
elif setup_podman; then
  podman_ok=1
else
  warn "Podman is not available; continuing with Docker only"
fi

# --- 4. base image ----------------------------------------------------------------
BASE_NODE="${XTEST_BASE_NODE:-$(command -v node)}"
BASE_MAJOR="$("$BASE_NODE" -p 'process.versions.node.split(".")[0]')" || die "$BASE_NODE does not run"
BASE_IMAGE="${XTEST_BASE_IMAGE:-xtest-node:$BASE_MAJOR}"
export XTEST_BASE_IMAGE="$BASE_IMAGE"
"$REPO/scripts/build-base-image.sh" docker "$BASE_NODE" || die "building $BASE_IMAGE for docker failed"
docker run --rm --network none "$BASE_IMAGE" node -e 'process.exit(0)' \
  || die "$BASE_IMAGE does not run under docker"

if [ "$podman_ok" = 1 ]; then
  if "$REPO/scripts/build-base-image.sh" podman "$BASE_NODE" \
     && podman run --rm --network none "$BASE_IMAGE" node -e 'process.exit(0)'; then
    say "podman: $BASE_IMAGE ready (use DOCKER_HOST=unix://$PODMAN_SOCK)"
  else
    warn "podman: $BASE_IMAGE could not be built or run; Podman tests will be skipped"
    podman_ok=0
  fi
fi

say "ready: docker=yes podman=$([ "$podman_ok" = 1 ] && echo "yes (unix://$PODMAN_SOCK)" || echo no) base=$BASE_IMAGE ($("$BASE_NODE" --version))"
exit 0
