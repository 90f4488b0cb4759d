#!/usr/bin/env bash
# What the browser and terminal tests need from Debian, as root. Idempotent: installs only what is missing,
# and runs `apt-get update` only then.
#
#   chromium  the report.html test (test/e2e/html-report-browser.test.ts) and bench/html drive Debian's
#             Chromium through playwright-core (a devDependency; it never downloads a browser)
#   tmux      the live progress test (test/e2e/progress-terminal.test.ts) runs xtest in a 100×30 pane
set -uo pipefail

say() { echo "[browser] $*"; }
die() { echo "[browser] ERROR: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (installs packages)"

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v tmux >/dev/null 2>&1 || need+=(tmux)
if [ "${#need[@]}" -gt 0 ]; then
  say "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q || die "apt-get update failed"
  apt-get install -y -q "${need[@]}" || die "apt-get install ${need[*]} failed"
fi
command -v chromium >/dev/null 2>&1 || die "chromium not found after install"
command -v tmux >/dev/null 2>&1 || die "tmux not found after install"
say "chromium: $(chromium --version 2>/dev/null | head -1); tmux: $(tmux -V)"
