#!/usr/bin/env bash
# Runs every check and test: formatting, clippy (warnings are errors), and the whole test suite
# (unit, integration, real DuckDB, real binaries). Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/env.sh
echo "--- cargo fmt --check"
cargo fmt --all -- --check
echo "--- cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "--- cargo test"
cargo test --workspace --locked
