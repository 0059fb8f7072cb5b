#!/usr/bin/env bash
# Regenerates analysis/src/dialect/spark/catalog.jsonl by asking Spark's own analyzer
# (`SHOW FUNCTIONS`, `DESCRIBE FUNCTION EXTENDED`, and the schema of probe queries over a bounded
# matrix of argument types) in local mode, no server needed.
#
#   scripts/gen-spark-catalog.sh           regenerate the checked-in file
#   scripts/gen-spark-catalog.sh --check   regenerate to a temporary file and diff (exit 1 when stale)
#
# ROCKY_SPARK_VENV: a Python venv with pyspark (default: /var/tmp/spark/venv if present, else the
# CI venv ${XDG_CACHE_HOME:-$HOME/.cache}/rocky-spark/venv). Needs Java 17+.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
check=0
case "${1:-}" in
  --check) check=1 ;;
  "") ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac
venv="${ROCKY_SPARK_VENV:-}"
if [ -z "$venv" ]; then
  if [ -x /var/tmp/spark/venv/bin/python ]; then venv=/var/tmp/spark/venv; else venv="${XDG_CACHE_HOME:-$HOME/.cache}/rocky-spark/venv"; fi
fi
if [ ! -x "$venv/bin/python" ]; then
  echo "no pyspark venv at $venv: set ROCKY_SPARK_VENV to a venv with pyspark installed" >&2
  exit 2
fi
target="$root/analysis/src/dialect/spark/catalog.jsonl"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$venv/bin/python" "$root/scripts/gen_spark_catalog.py" "$work/catalog.jsonl" 2>"$work/stderr" || { tail -20 "$work/stderr" >&2; exit 1; }
if [ "$check" = 1 ]; then
  if ! diff -u "$target" "$work/catalog.jsonl" >"$work/diff"; then
    head -40 "$work/diff" >&2
    echo "analysis/src/dialect/spark/catalog.jsonl is stale: run scripts/gen-spark-catalog.sh" >&2
    exit 1
  fi
  echo "analysis/src/dialect/spark/catalog.jsonl is up to date"
else
  mkdir -p "$(dirname "$target")"
  cp "$work/catalog.jsonl" "$target"
fi
