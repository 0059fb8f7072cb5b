#!/usr/bin/env bash
# Runs every check and test: formatting, clippy (warnings are errors), the whole Rust test suite
# (unit, integration, real DuckDB, real redb files, the real `rocky` and `rocky-lsp` binaries over
# stdio), the one-command install (scripts/test-install.sh: a release build into a temporary
# prefix, run with a clean environment), then the editor integrations in real VS Code (code-server +
# headless Chromium) and real headless Neovim 0.11 (scripts/test-editors.sh installs what they need
# on first use).
# PostgreSQL tests run against a throw-away cluster this script starts (scripts/pg-cluster.sh), the
# Spark tests against a throw-away local Spark Connect server (scripts/spark-server.sh; Spark from
# pyspark's venv, see .ci/run); both are stopped on exit. Exits non-zero on the first failure. ROCKY_SKIP_INSTALL=1 skips the install test,
# ROCKY_SKIP_EDITORS=1 the editor suites.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/env.sh
echo "--- cargo fmt --check"
cargo fmt --all -- --check
echo "--- cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "--- cargo build (binaries the integration tests start)"
cargo build --workspace --bins --locked
echo "--- PostgreSQL and Spark (throw-away servers for their tests)"
pg_dir="$(mktemp -d /tmp/rocky-pg.XXXXXX)"
spark_dir="$(mktemp -d /tmp/rocky-spark.XXXXXX)"
trap 'scripts/pg-cluster.sh stop "$pg_dir"; scripts/spark-server.sh stop "$spark_dir"' EXIT
scripts/pg-cluster.sh start "$pg_dir"
. "$pg_dir/env"
scripts/spark-server.sh start "$spark_dir"
. "$spark_dir/env"
echo "--- cargo test"
cargo test --workspace --locked
if [ "${ROCKY_SKIP_INSTALL:-0}" != "1" ]; then
  echo "--- install"
  scripts/test-install.sh
fi
if [ "${ROCKY_SKIP_EDITORS:-0}" != "1" ]; then
  echo "--- editor integrations"
  bin="${CARGO_TARGET_DIR:-target}/debug"
  ROCKY_LSP="$bin/rocky-lsp" ROCKY_BIN="$bin/rocky" scripts/test-editors.sh
fi
