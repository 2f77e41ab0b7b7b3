#!/usr/bin/env bash
# Installs everything the tests need (Chromium, curl, PostgreSQL, Node.js and npm from apt when missing; Auth0's
# SPA SDK and axe-core from npm into .cache/), then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v curl >/dev/null 2>&1 || missing+=(curl)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi
SPA_JS_VERSION=2.28.3
if [ ! -f ".cache/spa-js/node_modules/@auth0/auth0-spa-js/package.json" ] \
  || ! grep -q "\"version\": \"$SPA_JS_VERSION\"" .cache/spa-js/node_modules/@auth0/auth0-spa-js/package.json; then
  npm install --silent --no-audit --no-fund --prefix .cache/spa-js "@auth0/auth0-spa-js@$SPA_JS_VERSION" >/dev/null
fi
AXE_CORE_VERSION=4.11.0
if [ ! -f ".cache/axe-core/node_modules/axe-core/package.json" ] \
  || ! grep -q "\"version\": \"$AXE_CORE_VERSION\"" .cache/axe-core/node_modules/axe-core/package.json; then
  npm install --silent --no-audit --no-fund --prefix .cache/axe-core "axe-core@$AXE_CORE_VERSION" >/dev/null
fi
python -m pip install -q --disable-pip-version-check -r requirements-test.txt
python -m pytest "$@"
