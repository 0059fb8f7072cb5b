# Source this (`. scripts/env.sh`) to build and run with the prebuilt DuckDB library.
_rocky_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DUCKDB_LIB_DIR="$("$_rocky_root/scripts/fetch-libduckdb.sh")"
export DUCKDB_LIB_DIR
export LD_LIBRARY_PATH="$DUCKDB_LIB_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
unset _rocky_root
