#!/bin/sh
# Installs the official Node client (npm replicate@1.4.0) into bench/node-client/node_modules.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -f "$here/node_modules/replicate/package.json" ]; then
  npm install --prefix "$here" --no-audit --no-fund --ignore-scripts --no-package-lock >/dev/null
fi
