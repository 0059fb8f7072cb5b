#!/usr/bin/env bash
# Regenerates analysis/src/dialect/postgres/catalog.jsonl from a throw-away PostgreSQL server's
# system catalogs (pg_type, pg_cast, pg_operator, pg_proc, pg_aggregate).
#
#   scripts/gen-postgres-catalog.sh           regenerate the checked-in file
#   scripts/gen-postgres-catalog.sh --check   regenerate to a temporary file and diff (exit 1 when stale)
#
# ROCKY_GEN_PG_CATALOG_BIN: a prebuilt gen-postgres-catalog binary to use instead of building one.
#
# Starts its own server with scripts/pg-cluster.sh (needs the distribution's postgresql package).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
check=0
case "${1:-}" in
  --check) check=1 ;;
  "") ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac
. scripts/env.sh
target="$root/analysis/src/dialect/postgres/catalog.jsonl"
work="$(mktemp -d)"
chmod 755 "$work" # the server may run as another user (pg-cluster.sh as root)
cluster="$work/pg"
trap 'scripts/pg-cluster.sh stop "$cluster" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
scripts/pg-cluster.sh start "$cluster" >/dev/null
. "$cluster/env"
# A test (tests/tests/postgres_catalog.rs) passes the binary cargo already built for it: cargo
# cannot be run again from inside `cargo test`, which holds the build directory's lock.
if [ -n "${ROCKY_GEN_PG_CATALOG_BIN:-}" ]; then
  bin="$ROCKY_GEN_PG_CATALOG_BIN"
else
  cargo build -q -p rocky-tests --bin gen-postgres-catalog
  bin="${CARGO_TARGET_DIR:-$root/target}/debug/gen-postgres-catalog"
fi
if [ "$check" = 1 ]; then
  "$bin" "$ROCKY_TEST_PG_URL" "$work/catalog.jsonl"
  if ! diff -u "$target" "$work/catalog.jsonl" >"$work/diff"; then
    head -40 "$work/diff" >&2
    echo "analysis/src/dialect/postgres/catalog.jsonl is stale: run scripts/gen-postgres-catalog.sh" >&2
    exit 1
  fi
  echo "catalog.jsonl matches PostgreSQL $("$ROCKY_TEST_PG_BINDIR/postgres" --version | awk '{print $3}')"
else
  "$bin" "$ROCKY_TEST_PG_URL" "$target"
  echo "wrote $target ($(wc -l <"$target") lines)"
fi
