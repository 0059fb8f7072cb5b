#!/usr/bin/env bash
# Editor integration tests: the VS Code extension in the real workbench (code-server driven by
# Chromium) and the Neovim plugin in real Neovim 0.11 (headless), both against the real binaries:
#   ROCKY_LSP=/path/to/rocky-lsp ROCKY_BIN=/path/to/rocky scripts/test-editors.sh
# Installs what it needs (scripts/install-editor-deps.sh, cached under /var/tmp/rocky-editor-deps),
# builds and packages the extension, then runs both suites on temp copies of fixtures/playground.
# Screenshots and logs go to $ROCKY_EDITOR_TEST_OUT (default: a new temp dir, printed); the copied
# binaries are removed at the end.
# Ends with "N passed, M failed"; exits non-zero on any failure.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

: "${ROCKY_LSP:?set ROCKY_LSP to the rocky-lsp binary}"
: "${ROCKY_BIN:?set ROCKY_BIN to the rocky binary}"
for b in "$ROCKY_LSP" "$ROCKY_BIN"; do
  [[ -x "$b" ]] || { echo "test-editors: $b is not an executable file" >&2; exit 2; }
done

start=$SECONDS
scripts/install-editor-deps.sh
DEPS="${ROCKY_EDITOR_DEPS:-/var/tmp/rocky-editor-deps}"
# shellcheck source=/dev/null
. "$DEPS/env.sh"
# The rocky CLI links DuckDB's prebuilt library.
# shellcheck source=/dev/null
. scripts/env.sh
echo "--- editor deps ready in $((SECONDS - start)) s"

OUT="${ROCKY_EDITOR_TEST_OUT:-$(mktemp -d /tmp/rocky-editor-test.XXXXXX)}"
mkdir -p "$OUT"
echo "--- test output (screenshots, logs): $OUT"

# Copies of the binaries, so a concurrent rebuild cannot swap them mid-test. They are ~300 MB of
# debug builds, so they go when the script ends (logs and screenshots stay): repeated runs must not
# fill the disk.
mkdir -p "$OUT/bin"
trap 'rm -rf "$OUT/bin"' EXIT
cp "$ROCKY_LSP" "$OUT/bin/rocky-lsp"
cp "$ROCKY_BIN" "$OUT/bin/rocky"
LSP="$OUT/bin/rocky-lsp"
CLI="$OUT/bin/rocky"

# Type-check, bundle and package the extension (what a user installs).
VSIX="$OUT/rocky.vsix"
scripts/package-vsix.sh "$VSIX"

# A fresh copy of the playground per editor, as a user has it after `rocky seed` and a first
# `rocky run`: sources loaded, models built (so "Run this model" finds its upstream tables), and the
# schema cache warm (`rocky discover --with-schemas`).
new_project() {
  local dir="$OUT/$1"
  rm -rf "$dir"
  cp -r fixtures/playground "$dir"
  rm -f "$dir"/*.duckdb "$dir"/.rocky-state.redb* "$dir"/models/.rocky-state.redb*
  local step
  for step in seed run "discover --with-schemas"; do
    # shellcheck disable=SC2086
    "$CLI" -C "$dir" $step >"$OUT/$1-${step%% *}.log" 2>&1 \
      || { echo "test-editors: rocky $step failed in $dir (see $OUT/$1-${step%% *}.log)" >&2; return 1; }
  done
  echo "$dir"
}

total_pass=0
total_fail=0
tally() { # file with a suite's output
  local line
  line="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$1" | tail -1 || true)"
  if [[ -z "$line" ]]; then
    echo "FAIL $2: the suite did not finish (no summary line)"
    total_fail=$((total_fail + 1))
    return
  fi
  total_pass=$((total_pass + $(cut -d' ' -f1 <<<"$line")))
  total_fail=$((total_fail + $(cut -d' ' -f3 <<<"$line")))
}

echo "--- VS Code extension unit tests (lineage graph layout)"
(cd editors/vscode && npm run --silent test:unit) 2>&1 | tee "$OUT/unit.log" || true
unit_pass="$(grep -E '^# pass [0-9]+$' "$OUT/unit.log" | awk '{print $3}' || true)"
unit_fail="$(grep -E '^# fail [0-9]+$' "$OUT/unit.log" | awk '{print $3}' || true)"
if [[ -z "$unit_pass" || -z "$unit_fail" ]]; then
  echo "FAIL unit: the suite did not run"
  total_fail=$((total_fail + 1))
else
  total_pass=$((total_pass + unit_pass))
  total_fail=$((total_fail + unit_fail))
fi

echo "--- Neovim: $("$NVIM" --version | head -1)"
nvim_project="$(new_project nvim-project | tail -1)"
t=$SECONDS
# Neovim's own state (lsp.log, shada) goes to the output dir, not the user's home.
ROCKY_LSP="$LSP" ROCKY_BIN="$CLI" ROCKY_PROJECT="$nvim_project" \
  XDG_STATE_HOME="$OUT/nvim-home/state" XDG_DATA_HOME="$OUT/nvim-home/data" \
  XDG_CONFIG_HOME="$OUT/nvim-home/config" XDG_CACHE_HOME="$OUT/nvim-home/cache" \
  timeout 300 "$NVIM" --headless -u NONE -l editors/neovim/test/test.lua 2>&1 | sed -E 's/^([0-9]+ passed, [0-9]+ failed)$/neovim: \1/' | tee "$OUT/neovim.log" || true
sed -i -E 's/^neovim: //' "$OUT/neovim.log"
tally "$OUT/neovim.log" neovim
echo "--- Neovim's LSP log (server stderr): $OUT/nvim-home/state/nvim/lsp.log"
echo "--- Neovim suite: $((SECONDS - t)) s"

echo "--- VS Code: code-server $(node -p "require('$ROCKY_EDITOR_DEPS/cs/node_modules/code-server/package.json').version")"
vscode_project="$(new_project vscode-project | tail -1)"
t=$SECONDS
CODE_SERVER="$CODE_SERVER" CHROMIUM="$CHROMIUM" ROCKY_LSP="$LSP" ROCKY_BIN="$CLI" VSIX="$VSIX" \
  ROCKY_PROJECT="$vscode_project" ROCKY_TEST_OUT="$OUT/vscode" \
  timeout 300 node editors/vscode/test/e2e.cjs 2>&1 | sed -E 's/^([0-9]+ passed, [0-9]+ failed)$/vscode: \1/' | tee "$OUT/vscode.log" || true
sed -i -E 's/^vscode: //' "$OUT/vscode.log"
tally "$OUT/vscode.log" vscode
echo "--- VS Code suite: $((SECONDS - t)) s"

echo "--- editor tests took $((SECONDS - start)) s; output in $OUT"
echo "$total_pass passed, $total_fail failed"
[[ $total_fail -eq 0 ]]
