#!/usr/bin/env bash
# Packages the VS Code extension: `scripts/package-vsix.sh [OUT.vsix]` writes
# editors/vscode/rocky.vsix (and copies it to OUT.vsix if given). esbuild bundles the extension
# with its runtime dependencies into dist/extension.js, so the .vsix is self-contained: installing
# it (`code --install-extension rocky.vsix`) needs no Node toolchain. Building it needs npm once:
# Node 24 (scripts/install-node.sh) and the extension's pinned dependencies (package-lock.json,
# including @vscode/vsce) are cached under $ROCKY_EDITOR_DEPS (default /var/tmp/rocky-editor-deps).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EXT="$ROOT/editors/vscode"
DEPS="${ROCKY_EDITOR_DEPS:-/var/tmp/rocky-editor-deps}"
case "${1:-}" in
  -h | --help) sed -n '2,7p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
  -*) echo "package-vsix.sh: unknown option '$1' (usage: scripts/package-vsix.sh [OUT.vsix])" >&2; exit 2 ;;
esac
OUT="${1:-}"
log() { echo "[package-vsix $(date +%T)] $*" >&2; }

NODE_HOME="$("$ROOT/scripts/install-node.sh")"
export PATH="$NODE_HOME/bin:$PATH" npm_config_nodedir="$NODE_HOME"

# The extension's build dependencies, kept in the cache dir keyed by the lock file's hash and
# linked into the extension folder (the source tree stays free of node_modules).
LOCK_HASH="$(sha256sum "$EXT/package-lock.json" | cut -c1-16)"
EXT_MODULES="$DEPS/vscode-ext-modules/$LOCK_HASH"
if [[ ! -f "$EXT_MODULES/.done" ]]; then
  log "npm ci: editors/vscode dependencies"
  rm -rf "$EXT_MODULES" && mkdir -p "$EXT_MODULES"
  cp "$EXT/package.json" "$EXT/package-lock.json" "$EXT_MODULES/"
  (cd "$EXT_MODULES" && npm ci --silent --no-audit --no-fund)
  touch "$EXT_MODULES/.done"
  # Drop the modules of older lock files.
  find "$DEPS/vscode-ext-modules" -mindepth 1 -maxdepth 1 ! -name "$LOCK_HASH" -exec rm -rf {} +
fi
if [[ "$(readlink "$EXT/node_modules" 2>/dev/null)" != "$EXT_MODULES/node_modules" ]]; then
  rm -rf "$EXT/node_modules"
  ln -s "$EXT_MODULES/node_modules" "$EXT/node_modules"
fi

cd "$EXT"
log "typecheck, bundle, package"
npm run --silent typecheck
npm run --silent build
# The .vsix holds dist/extension.js alone (.vscodeignore): at run time it may require only the
# host's `vscode` module and Node's built-ins; anything else must be bundled.
# shellcheck disable=SC2016 # JavaScript, not shell expansions
node -e '
  const builtin = new Set(require("module").builtinModules);
  const code = require("fs").readFileSync("dist/extension.js", "utf8");
  const bad = [...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])
    .filter((n) => n !== "vscode" && !n.startsWith("node:") && !builtin.has(n));
  if (bad.length) {
    console.error(`package-vsix.sh: dist/extension.js requires ${[...new Set(bad)].join(", ")} at run time; bundle it (esbuild)`);
    process.exit(1);
  }'
npm run --silent package >/dev/null
log "wrote $EXT/rocky.vsix ($(($(stat -c %s rocky.vsix) / 1024)) KiB)"
if [[ -n "$OUT" ]]; then
  mkdir -p "$(dirname "$OUT")"
  cp rocky.vsix "$OUT"
  log "copied to $OUT"
fi
