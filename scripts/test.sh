#!/usr/bin/env bash
# Installs everything the tests need (Chromium and PostgreSQL from apt when missing), then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi
python -m pip install -q --disable-pip-version-check -r requirements-test.txt
python -m pytest "$@"
