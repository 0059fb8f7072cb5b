#!/usr/bin/env bash
# Extracts Spark Connect's protocol definitions (spark/connect/*.proto, Apache-2.0, from the
# Apache Spark project) out of the `spark-connect_2.13-*.jar` that PyPI's pyspark ships, into
# spark-connect/proto/, where spark-connect/build.rs compiles them. Run it when moving to another
# Spark version; SPARK_HOME or ROCKY_SPARK_VENV say where Spark is (as in scripts/spark-server.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ -z "${SPARK_HOME:-}" ]; then
  venv="${ROCKY_SPARK_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/rocky-spark/venv}"
  SPARK_HOME="$(ls -d "$venv"/lib/python3*/site-packages/pyspark 2>/dev/null | head -n 1)"
fi
jar="$(ls "$SPARK_HOME"/jars/spark-connect_2.13-*.jar 2>/dev/null | head -n 1)"
[ -n "$jar" ] || { echo "spark-connect_2.13-*.jar not found under SPARK_HOME=$SPARK_HOME" >&2; exit 1; }
out=spark-connect/proto
rm -rf "$out/spark"
mkdir -p "$out"
unzip -q -o "$jar" 'spark/connect/*.proto' -d "$out"
version="$(basename "$jar" .jar)"
version="${version#spark-connect_2.13-}"
printf '%s\n' "$version" >"$out/SPARK_VERSION"
echo "extracted $(ls "$out"/spark/connect | wc -l) files of Spark Connect $version into $out"
