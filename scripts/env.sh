# Source this (`. scripts/env.sh`) to build and run with the prebuilt DuckDB library.
_rocky_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DUCKDB_LIB_DIR="$("$_rocky_root/scripts/fetch-libduckdb.sh")"
export DUCKDB_LIB_DIR
export LD_LIBRARY_PATH="$DUCKDB_LIB_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# Machine-local overrides (e.g. a CARGO_TARGET_DIR per checkout when several worktrees build at
# once: they must not share one, cargo tells their workspace crates apart by relative path only).
if [ -f "$_rocky_root/.cache/env-local.sh" ]; then . "$_rocky_root/.cache/env-local.sh"; fi
unset _rocky_root
