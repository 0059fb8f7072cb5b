#!/usr/bin/env bash
# A throw-away local Spark Connect server for tests and benchmarks.
#
#   scripts/spark-server.sh start DIR   start one on a free 127.0.0.1 port, warehouse in DIR
#   scripts/spark-server.sh stop DIR    kill it and delete DIR
#
# Spark comes from PyPI's `pyspark` (it ships Spark's jars and bin/spark-submit, including the
# Spark Connect server). SPARK_HOME, or a venv holding pyspark (ROCKY_SPARK_VENV, default
# ${XDG_CACHE_HOME:-$HOME/.cache}/rocky-spark/venv, which .ci/run fills), says which Spark to use;
# Java 17 must be on PATH. `start` waits until the port answers (about 5 s) and writes DIR/env, to
# be sourced: ROCKY_TEST_SPARK_URL=sc://127.0.0.1:PORT.
set -euo pipefail
cmd="${1:-}"
dir="${2:-}"
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi

find_spark_home() {
  if [ -n "${SPARK_HOME:-}" ] && [ -x "$SPARK_HOME/bin/spark-submit" ]; then
    echo "$SPARK_HOME"
    return
  fi
  local venv="${ROCKY_SPARK_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/rocky-spark/venv}"
  local home
  for home in "$venv"/lib/python3*/site-packages/pyspark; do
    [ -x "$home/bin/spark-submit" ] && { echo "$home"; return; }
  done
  echo "Spark not found: set SPARK_HOME, or install pyspark into $venv (python3 -m venv $venv && $venv/bin/pip install pyspark==4.0.5)" >&2
  exit 1
}

case "$cmd" in
start)
  spark_home="$(find_spark_home)"
  command -v java >/dev/null 2>&1 || { echo "java not found: Spark needs Java 17 (apt-get install openjdk-17-jre-headless)" >&2; exit 1; }
  rm -rf "$dir"
  mkdir -p "$dir/warehouse" "$dir/tmp"
  dir="$(cd "$dir" && pwd)"
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  # Small heap and few shuffle partitions: tests build tiny tables on a 2-core machine. Derby's
  # metastore and its log stay inside DIR (the working directory).
  (
    cd "$dir"
    export SPARK_HOME="$spark_home"
    export SPARK_LOCAL_IP=127.0.0.1
    export SPARK_LOCAL_DIRS="$dir/tmp"
    exec setsid "$spark_home/bin/spark-submit" \
      --class org.apache.spark.sql.connect.service.SparkConnectServer \
      --master 'local[*]' \
      --driver-memory "${ROCKY_SPARK_DRIVER_MEMORY:-1g}" \
      --conf spark.connect.grpc.binding.address=127.0.0.1 \
      --conf spark.connect.grpc.binding.port="$port" \
      --conf spark.ui.enabled=false \
      --conf spark.sql.warehouse.dir="$dir/warehouse" \
      --conf spark.sql.shuffle.partitions=2 \
      --conf spark.driver.extraJavaOptions="-Dderby.system.home=$dir -Djava.io.tmpdir=$dir/tmp" \
      spark-internal >"$dir/server.log" 2>&1
  ) &
  echo $! >"$dir/pid"
  for _ in $(seq 1 240); do
    if python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.5).close()" 2>/dev/null; then
      echo "export ROCKY_TEST_SPARK_URL=sc://127.0.0.1:$port" >"$dir/env"
      echo "Spark Connect $(basename "$(ls "$spark_home"/jars/spark-connect_*.jar)" .jar) on 127.0.0.1:$port (warehouse in $dir/warehouse; source $dir/env)"
      exit 0
    fi
    if ! kill -0 "$(cat "$dir/pid")" 2>/dev/null; then
      echo "the Spark Connect server exited while starting:" >&2
      tail -n 40 "$dir/server.log" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "the Spark Connect server did not answer on port $port within 120 s:" >&2
  tail -n 40 "$dir/server.log" >&2
  kill -- -"$(cat "$dir/pid")" 2>/dev/null || true
  exit 1
  ;;
stop)
  if [ -f "$dir/pid" ]; then
    pid="$(cat "$dir/pid")"
    # setsid made the server its own process group: end the JVM and its wrapper shells together.
    kill -- -"$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 -- -"$pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start|stop DIR" >&2
  exit 2
  ;;
esac
