#!/usr/bin/env bash
# Builds Rocky and runs its main job on the embedded DuckDB: `rocky seed` (loads the example's
# source tables once) and `rocky run` (builds every model in dependency order, fills the schema
# cache) on a working copy of fixtures/playground in target/example/playground, so the fixture
# itself stays clean. Run it again to see an idempotent re-run; `rocky state` / `rocky history`
# there show what was recorded. Any arguments run that `rocky` command in the working copy instead,
# e.g. `scripts/example.sh check`, `scripts/example.sh lineage customer_orders.total_spent`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/env.sh
cargo build --quiet --locked -p rocky-runner -p rocky-lsp
bin="${CARGO_TARGET_DIR:-target}/debug"
work="target/example/playground"
mkdir -p "$work"
# Refresh the project files; keep the warehouse (playground.duckdb) and the state file.
cp -r fixtures/playground/. "$work/"
if [ "$#" -gt 0 ]; then
  exec "$bin/rocky" -C "$work" "$@"
fi
echo "--- rocky seed   (in $work)"
"$bin/rocky" -C "$work" seed
echo "--- rocky run"
"$bin/rocky" -C "$work" run
