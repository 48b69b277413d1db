#!/bin/sh
# Installs the official Node client (replicate@1.4.0, from the npm registry) into
# bench/sse/node_modules (git-ignored) and runs node_sse_bench.mjs.
#   bench/sse/run_node_bench.sh [megabytes=4]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -f "$here/node_modules/replicate/package.json" ]; then
  npm install --prefix "$here" --no-save --no-audit --no-fund --ignore-scripts replicate@1.4.0
fi
exec node "$here/node_sse_bench.mjs" "$here/node_modules" "${1:-4}"
