#!/usr/bin/env bash
# Byte-compile the site's modules once, at build time: an instance started from the built image (a sleeping PaaS
# instance waking up) then loads them instead of compiling every one of them again on each start.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m compileall -q -j 0 -x '/(\.cache|\.data|\.git|node_modules)/' .
