#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for tests and benchmarks.
#
#   scripts/pg-cluster.sh start DIR   initdb + pg_ctl start in DIR on a free 127.0.0.1 port
#   scripts/pg-cluster.sh stop DIR    stop it and delete DIR
#
# `start` writes DIR/env, to be sourced: ROCKY_TEST_PG_HOST, _PORT, _USER, _PASSWORD, _URL
# (database `postgres`) and ROCKY_TEST_PG_BINDIR (initdb, pg_ctl, psql of the same version).
# The superuser `rocky` logs in over TCP with password `rocky` (scram-sha-256), so tests exercise
# real password authentication. TLS is on (`ssl=on`; plain connections are still accepted, so
# sslmode=prefer uses TLS and disable does not): the server's certificate names `localhost` only
# (not 127.0.0.1, so verify-full tests can see a host-name mismatch) and is signed by a throw-away
# CA made with the `openssl` CLI, whose file ROCKY_TEST_PG_SSLROOTCERT gives. As root the server runs as the unprivileged user `rocky-pg`
# (PostgreSQL refuses to run as root). Needs the distribution's `postgresql` package.
set -euo pipefail
cmd="${1:-}"
dir="${2:-}"
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi

find_bindir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && { echo "$d"; return; }
  done
  command -v initdb >/dev/null 2>&1 && dirname "$(command -v initdb)" && return
  echo "PostgreSQL's initdb not found: install the distribution's package (apt-get install postgresql)" >&2
  exit 1
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u rocky-pg -- "$@"
  else
    "$@"
  fi
}

case "$cmd" in
start)
  bindir="$(find_bindir)"
  if [ "$(id -u)" = 0 ] && ! id rocky-pg >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin rocky-pg
  fi
  rm -rf "$dir"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  [ "$(id -u)" = 0 ] && chown rocky-pg "$dir"
  printf 'rocky\n' >"$dir/pwfile"
  [ "$(id -u)" = 0 ] && chown rocky-pg "$dir/pwfile"
  as_owner "$bindir/initdb" -D "$dir/data" -U rocky --pwfile="$dir/pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  # A throw-away CA and a server certificate it signs (valid for the host name `localhost`).
  command -v openssl >/dev/null 2>&1 || { echo "the openssl CLI is needed for the test server's certificate: apt-get install openssl" >&2; exit 1; }
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=Rocky test CA" \
    -keyout "$dir/ca.key" -out "$dir/ca.crt" >"$dir/openssl.log" 2>&1 || { cat "$dir/openssl.log" >&2; exit 1; }
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
    -keyout "$dir/server.key" -out "$dir/server.csr" >>"$dir/openssl.log" 2>&1 || { cat "$dir/openssl.log" >&2; exit 1; }
  printf 'subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >"$dir/server.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 30 \
    -extfile "$dir/server.ext" -out "$dir/server.crt" >>"$dir/openssl.log" 2>&1 || { cat "$dir/openssl.log" >&2; exit 1; }
  chmod 600 "$dir/server.key"
  [ "$(id -u)" = 0 ] && chown rocky-pg "$dir/server.key" "$dir/server.crt"
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c ssl=on -c ssl_cert_file=$dir/server.crt -c ssl_key_file=$dir/server.key" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  cat >"$dir/env" <<ENV
export ROCKY_TEST_PG_HOST=127.0.0.1
export ROCKY_TEST_PG_PORT=$port
export ROCKY_TEST_PG_USER=rocky
export ROCKY_TEST_PG_PASSWORD=rocky
export ROCKY_TEST_PG_URL=postgres://rocky:rocky@127.0.0.1:$port/postgres
export ROCKY_TEST_PG_BINDIR=$bindir
export ROCKY_TEST_PG_SSLROOTCERT=$dir/ca.crt
ENV
  echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $dir/data; source $dir/env)"
  ;;
stop)
  if [ -d "$dir/data" ]; then
    bindir="$(find_bindir)"
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start|stop DIR" >&2
  exit 2
  ;;
esac
