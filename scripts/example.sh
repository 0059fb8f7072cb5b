#!/usr/bin/env bash
# Builds Rocky and checks the playground example project (any arguments replace `check fixtures/playground`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/env.sh
if [ "$#" -eq 0 ]; then set -- check fixtures/playground; fi
cargo run --quiet --locked -p rocky-runner --bin rocky -- "$@"
