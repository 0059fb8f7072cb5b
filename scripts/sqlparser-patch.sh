#!/usr/bin/env bash
# Writes Rocky's patches to the vendored sqlparser (everything changed in vendor/sqlparser since the
# commit that added the pristine crate) to vendor/sqlparser-rocky.patch, to offer upstream or
# re-apply on a newer release. See vendor/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
pristine=$(git log --diff-filter=A --format=%H -- vendor/sqlparser/Cargo.toml | tail -1)
if [ -z "$pristine" ]; then
  echo "sqlparser-patch: no commit adds vendor/sqlparser/Cargo.toml (is this a git checkout?)" >&2
  exit 1
fi
git diff "$pristine" -- vendor/sqlparser ':!vendor/sqlparser/rustfmt.toml' > vendor/sqlparser-rocky.patch
echo "vendor/sqlparser-rocky.patch: $(grep -c '^diff --git' vendor/sqlparser-rocky.patch || true) files changed since ${pristine:0:12}"
