#!/usr/bin/env bash
# Puts DuckDB's official prebuilt libduckdb.so (1.5.5, matching the `duckdb` crate 1.10505) into
# .cache/libduckdb, from the npm registry, so builds link it in seconds instead of compiling DuckDB.
# Prints the directory. Idempotent.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$root/.cache/libduckdb"
pkg="@duckdb/node-bindings-linux-x64@1.5.5-r.5"
if [ ! -f "$dir/libduckdb.so" ]; then
  mkdir -p "$dir"
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "$pkg" >/dev/null && tar xzf ./*.tgz)
  cp "$tmp/package/libduckdb.so" "$dir/libduckdb.so"
  rm -rf "$tmp"
fi
echo "$dir"
