#!/usr/bin/env bash
# Regenerates analysis/src/functions/duckdb_functions.jsonl from DuckDB's duckdb_functions().
# tests/tests/types_vs_duckdb.rs fails when the checked-in file differs from this output.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. scripts/env.sh
cargo run -q -p rocky-tests --bin gen-duckdb-functions -- "$root/analysis/src/functions/duckdb_functions.jsonl"
