#!/usr/bin/env bash
# README command 1: installs what is missing, builds, and runs the main example. Without
# REPLICATE_API_TOKEN it starts the bundled emulator on 127.0.0.1 and runs against it; with a
# token it talks to api.replicate.com. Arguments go to the example (identifier, input JSON).
# REPLICATE_EXAMPLE picks another example program, e.g. REPLICATE_EXAMPLE=camera_caption.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake --preset dev >/dev/null
example="${REPLICATE_EXAMPLE:-predict}"
cmake --build --preset dev -j "$(nproc)" --target "$example" replicate-emulator >/dev/null
if [ -z "${REPLICATE_API_TOKEN:-}" ]; then
  coproc EMULATOR { exec build/dev/emulator/replicate-emulator --port 0 --exit-on-stdin-eof; }
  read -r base_url <&"${EMULATOR[0]}"
  trap 'kill "$EMULATOR_PID" 2>/dev/null || true' EXIT
  echo "no REPLICATE_API_TOKEN: using the local emulator at $base_url" >&2
  export REPLICATE_BASE_URL="$base_url" REPLICATE_API_TOKEN=r8_emulator
fi
build/dev/examples/"$example" "$@"
