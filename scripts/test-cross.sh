#!/usr/bin/env bash
# Cross builds a preset (aarch64 or armhf) and runs its ctest under qemu-user: unit tests, and the
# integration tests against the HOST build's emulator (an ARM process under qemu cannot exec
# another ARM binary, but a host binary it spawns runs natively).
# Usage: scripts/test-cross.sh <aarch64|armhf> [extra ctest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:?usage: scripts/test-cross.sh <aarch64|armhf> [ctest args]}"
shift
case "$target" in aarch64 | armhf) ;; *) echo "test-cross: unknown target '$target'" >&2; exit 2 ;; esac
jobs="${REPLICATE_JOBS:-$(nproc)}"

scripts/setup.sh
scripts/setup-cross.sh "$target"

# The presets point REPLICATE_EMULATOR_EXECUTABLE at build/dev's emulator; build only that target.
# make is a no-op when it is up to date, so CI pays nothing after the dev run.
cmake --preset dev >/dev/null
dev_targets="$(cmake --build --preset dev --target help)"
if ! grep -q 'replicate-emulator' <<<"$dev_targets"; then
  echo "test-cross: build/dev has no replicate-emulator target; the integration tests need it" >&2
  exit 1
fi
cmake --build --preset dev -j "$jobs" --target replicate-emulator

cmake --preset "$target" >/dev/null
cmake --build --preset "$target" -j "$jobs"
ctest --preset "$target" -j "$jobs" "$@"
