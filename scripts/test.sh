#!/usr/bin/env bash
# Installs everything the tests need (Chromium from apt when missing), then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
python -m pip install -q --disable-pip-version-check -r requirements-test.txt
python -m pytest "$@"
