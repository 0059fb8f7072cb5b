#!/usr/bin/env bash
# Tests the one-command install (scripts/install.sh) the way a user gets it: installs into a
# temporary prefix, then runs the installed binaries from another directory with a clean
# environment (no LD_LIBRARY_PATH, no DUCKDB_LIB_DIR, no cargo): `--version`, then `rocky seed`,
# `rocky run` and `rocky history --json` on a copy of fixtures/playground. Also checks that the
# library resolves from the prefix, that the debug info was split off and stays linked, that a
# binary placed beside the library runs, and that --uninstall removes it all.
# Ends with "install test: PASS" or "install test: FAIL: <why>"; exits non-zero on failure.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tmp="$(mktemp -d /tmp/rocky-install-test.XXXXXX)"
PREFIX="$tmp/prefix"
fail() {
  echo "install test: FAIL: $* (files kept in $tmp)"
  exit 1
}
# Any other failing command (set -e) still ends with a FAIL line.
trap 'echo "install test: FAIL: line $LINENO: \`$BASH_COMMAND\` exited non-zero (files kept in $tmp)"' ERR

echo "--- scripts/install.sh $PREFIX"
"$ROOT/scripts/install.sh" "$PREFIX" || fail "scripts/install.sh exited non-zero"

# A user's shell: nothing but HOME and the system PATH, in a directory outside the source tree.
home="$tmp/home"
project="$tmp/project"
mkdir -p "$home"
cp -r "$ROOT/fixtures/playground" "$project"
rm -f "$project"/*.duckdb* "$project"/.rocky-state.redb*
clean() { # dir command...
  local dir="$1"
  shift
  (cd "$dir" && env -i HOME="$home" PATH=/usr/bin:/bin "$@")
}
rocky="$PREFIX/bin/rocky"

echo "--- clean environment, in $project"
for bin in rocky rocky-lsp; do
  out="$(clean "$home" "$PREFIX/bin/$bin" --version 2>&1)" || fail "$bin --version: $out"
  [[ "$out" == "$bin "[0-9]* ]] || fail "$bin --version printed '$out'"
  echo "$out"
done
for step in seed run; do
  clean "$project" "$rocky" "$step" >"$tmp/$step.log" 2>&1 || fail "rocky $step exited non-zero: $(tail -5 "$tmp/$step.log")"
done
clean "$home" "$rocky" -C "$project" history --json >"$tmp/history.json" || fail "rocky history --json exited non-zero"
python3 - "$tmp/history.json" <<'PY' || fail "rocky history does not show a successful run (see $tmp/history.json)"
import json, sys
runs = json.load(open(sys.argv[1]))["runs"]
assert len(runs) == 1, runs
models = runs[0]["models"]
assert runs[0]["status"] == "succeeded" and models["succeeded"] > 0, runs[0]
assert models["failed"] == 0 and models["skipped"] == 0, runs[0]
print(f"rocky run built {models['succeeded']} models")
PY

echo "--- linking and debug info"
lib="$(env -i ldd "$rocky" | awk '$1 == "libduckdb.so" { print $3 }')"
[[ -n "$lib" && "$(realpath "$lib")" == "$PREFIX/lib/rocky/libduckdb.so" ]] || fail "ldd resolves libduckdb.so to '$lib', not $PREFIX/lib/rocky"
runpath="$(readelf -d "$rocky" | sed -n 's/.*(RUNPATH).*\[\(.*\)\]/\1/p')"
# shellcheck disable=SC2016 # $ORIGIN is literal
[[ "$runpath" == '$ORIGIN/../lib/rocky:$ORIGIN' ]] || fail "rocky's RUNPATH is '$runpath' (a build directory must not leak in)"
[[ "$(env -i ldd "$PREFIX/bin/rocky-lsp")" != *libduckdb* ]] || fail "rocky-lsp links libduckdb"
# Captured, not piped into `grep -q` (an early exit would fail the pipe); a debug-only file makes
# readelf complain about the missing interpreter.
sections() { readelf -SW "$1" 2>/dev/null || true; }
build_id() { { readelf -n "$1" 2>/dev/null || true; } | awk '/Build ID/ { print $3 }'; }
for bin in rocky rocky-lsp; do
  exe="$PREFIX/bin/$bin"
  dbg="$PREFIX/bin/.debug/$bin.debug"
  [[ -f "$dbg" ]] || fail "no $dbg"
  [[ "$(sections "$exe")" != *.debug_line* ]] || fail "$bin still carries its debug info"
  [[ "$(sections "$exe")" == *.symtab* ]] || fail "$bin lost its symbol table"
  [[ "$(sections "$dbg")" == *.debug_line* ]] || fail "$dbg has no line tables"
  [[ "$(readelf -p .gnu_debuglink "$exe" 2>/dev/null)" == *"$bin.debug"* ]] || fail "$bin has no .gnu_debuglink to $bin.debug"
  [[ -n "$(build_id "$exe")" && "$(build_id "$exe")" == "$(build_id "$dbg")" ]] || fail "$dbg does not match $bin's build id"
  # What a debugger or profiler does: find the line of a function through the debuglink.
  main="$(nm -C "$exe" | awk -v f="${bin//-/_}::main" '$3 == f && !seen++ { print $1 }')"
  [[ -n "$main" ]] || fail "$bin's symbol table has no ${bin//-/_}::main"
  where="$(addr2line -e "$exe" "0x$main")"
  [[ "$where" == *"/src/main.rs:"* ]] || fail "addr2line finds no line for $bin's main ('$where')"
  echo "$bin: $(($(stat -c %s "$exe") / 1048576)) MiB, debug info $(($(stat -c %s "$dbg") / 1048576)) MiB in bin/.debug"
done

echo "--- the library beside the binary (RUNPATH \$ORIGIN)"
mkdir -p "$tmp/flat"
cp "$rocky" "$PREFIX/lib/rocky/libduckdb.so" "$tmp/flat/"
clean "$home" "$tmp/flat/rocky" --version >/dev/null 2>&1 || fail "a rocky with libduckdb.so beside it does not start"

echo "--- scripts/install.sh --uninstall"
"$ROOT/scripts/install.sh" --uninstall "$PREFIX" || fail "uninstall exited non-zero"
left="$(find "$PREFIX" -name 'rocky*' -o -name 'libduckdb*')"
[[ -z "$left" ]] || fail "uninstall left: $left"

rm -rf "$tmp"
echo "install test: PASS"
