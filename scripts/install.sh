#!/usr/bin/env bash
# Installs `rocky` and `rocky-lsp` into a prefix, runnable from anywhere with no environment:
#   PREFIX/bin/rocky, PREFIX/bin/rocky-lsp          (debug info split off, symbol table kept)
#   PREFIX/lib/rocky/libduckdb.so                   (DuckDB's prebuilt library; `rocky` finds it
#                                                    through its RUNPATH $ORIGIN/../lib/rocky)
#   PREFIX/bin/.debug/rocky.debug, rocky-lsp.debug  (line tables, compressed; gdb, perf and
#                                                    addr2line find them through the binaries'
#                                                    .gnu_debuglink)
# One `cargo build --release` of both packages (a `cargo install` per package would resolve their
# features apart and compile the shared crates twice). Honours CARGO_TARGET_DIR: a warm target dir
# makes a reinstall take seconds. Idempotent: a rerun rebuilds what changed and replaces the files
# atomically (a running rocky-lsp keeps its old binary).
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/install.sh [PREFIX]              install rocky and rocky-lsp into PREFIX
       scripts/install.sh --uninstall [PREFIX]  remove what an install put into PREFIX
PREFIX defaults to ~/.local (binaries in PREFIX/bin: put that directory on your PATH).
Needs cargo (Rust >= 1.90), npm (fetches DuckDB's prebuilt library once), objcopy and strip.
EOF
}

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BINS=(rocky rocky-lsp)

uninstall=0
case "${1:-}" in
  -h | --help) usage; exit 0 ;;
  --uninstall) uninstall=1; shift ;;
  -*) echo "install.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
esac
[[ $# -le 1 ]] || { echo "install.sh: expected at most one PREFIX, got: $*" >&2; usage >&2; exit 2; }
PREFIX="${1:-${HOME:?HOME is not set: pass PREFIX}/.local}"
if [[ $uninstall -eq 1 && ! -d "$PREFIX" ]]; then
  echo "[install] nothing to uninstall: $PREFIX does not exist"
  exit 0
fi
mkdir -p "$PREFIX" || { echo "install.sh: cannot create $PREFIX (hint: choose a PREFIX you can write)" >&2; exit 1; }
PREFIX="$(cd "$PREFIX" && pwd)"

log() { echo "[install] $*"; }
need() {
  command -v "$1" >/dev/null 2>&1 || { echo "install.sh: '$1' not found. Hint: $2" >&2; exit 1; }
}
need cargo "install Rust >= 1.90 (https://rustup.rs) and make sure cargo is on PATH"

if [[ $uninstall -eq 1 ]]; then
  for bin in "${BINS[@]}"; do rm -f "$PREFIX/bin/$bin" "$PREFIX/bin/.debug/$bin.debug"; done
  rm -rf "$PREFIX/lib/rocky"
  rmdir "$PREFIX/bin/.debug" 2>/dev/null || true
  log "uninstalled from $PREFIX"
  exit 0
fi

need objcopy "install binutils (apt-get install binutils)"
need strip "install binutils (apt-get install binutils)"
command -v npm >/dev/null 2>&1 || [[ -f "$ROOT/.cache/libduckdb/libduckdb.so" ]] \
  || { echo "install.sh: npm not found; it fetches DuckDB's prebuilt library once. Hint: apt-get install npm" >&2; exit 1; }

log "DuckDB's prebuilt library"
DUCKDB_LIB_DIR="$("$ROOT/scripts/fetch-libduckdb.sh")"
# The build links against DUCKDB_LIB_DIR; the installed binary must not look for it there
# (runner/build.rs).
export DUCKDB_LIB_DIR ROCKY_RPATH_NO_BUILD_DIR=1
mkdir -p "$PREFIX/lib/rocky"
install -m 0644 "$DUCKDB_LIB_DIR/libduckdb.so" "$PREFIX/lib/rocky/.libduckdb.so.new"
mv -f "$PREFIX/lib/rocky/.libduckdb.so.new" "$PREFIX/lib/rocky/libduckdb.so"

log "cargo build --release (several minutes the first time)"
(cd "$ROOT" && cargo build --release --locked -p rocky-runner -p rocky-lsp)
target="${CARGO_TARGET_DIR:-target}"
[[ "$target" == /* ]] || target="$ROOT/$target"

# Split the debug info (line tables) into PREFIX/bin/.debug, where debuggers and profilers look
# for a .gnu_debuglink; the binaries keep their symbol table, so profiles show function names even
# without it. Each binary is prepared under a temporary name and renamed into place.
mkdir -p "$PREFIX/bin/.debug"
for bin in "${BINS[@]}"; do
  exe="$PREFIX/bin/.$bin.new"
  dbg="$PREFIX/bin/.debug/$bin.debug"
  install -m 0755 "$target/release/$bin" "$exe"
  before=$(stat -c %s "$exe")
  objcopy --only-keep-debug --compress-debug-sections=zlib "$exe" "$dbg"
  chmod 0644 "$dbg"
  strip --strip-debug "$exe"
  # Run where the .debug file is: objcopy records its name and checksum.
  (cd "$PREFIX/bin/.debug" && objcopy --add-gnu-debuglink="$bin.debug" "$exe")
  mv -f "$exe" "$PREFIX/bin/$bin"
  log "$bin: $((before / 1048576)) MiB -> $(($(stat -c %s "$PREFIX/bin/$bin") / 1048576)) MiB (+ $(($(stat -c %s "$dbg") / 1048576)) MiB in $dbg)"
done

log "installed into $PREFIX: bin/rocky, bin/rocky-lsp, lib/rocky/libduckdb.so"
case ":$PATH:" in
  *":$PREFIX/bin:"*) ;;
  *) log "note: $PREFIX/bin is not on your PATH; add it, e.g. export PATH=\"$PREFIX/bin:\$PATH\"" ;;
esac
log "uninstall with: scripts/install.sh --uninstall $PREFIX"
