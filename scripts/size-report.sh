#!/usr/bin/env bash
# Code size of libreplicate on x86-64, aarch64 and armhf, the way a device ships it: MinSizeRel,
# stripped. For each target it configures build/size-<target> (BUILD_SHARED_LIBS=ON, no tests or
# benches) and prints:
#   .so      stripped libreplicate.so, with its text/data/bss (what the device loads)
#   .a       the static archive after strip --strip-unneeded (what an SDK ships)
#   predict  examples/predict linked against the static archive, stripped (libuv, curl, cJSON and
#            mbedTLS stay shared system libraries), from a second, static configure
# Usage: scripts/size-report.sh [--check] [x86_64|aarch64|armhf ...]   (default: all three)
# --check exits 1 when the aarch64 libreplicate.so exceeds REPLICATE_SIZE_BUDGET_AARCH64 bytes
# (default 307200 = 300 KiB).
set -euo pipefail
cd "$(dirname "$0")/.."
check=0
if [ "${1:-}" = "--check" ]; then check=1; shift; fi
targets=("$@")
((${#targets[@]})) || targets=(x86_64 aarch64 armhf)
budget="${REPLICATE_SIZE_BUDGET_AARCH64:-307200}"
jobs="${REPLICATE_JOBS:-$(nproc)}"

cross=()
for t in "${targets[@]}"; do
  case "$t" in
    x86_64) ;;
    aarch64 | armhf) cross+=("$t") ;;
    *) echo "size-report: unknown target '$t' (x86_64|aarch64|armhf)" >&2; exit 2 ;;
  esac
done
scripts/setup.sh
((${#cross[@]} == 0)) || scripts/setup-cross.sh "${cross[@]}" 2>/dev/null

common=(-DCMAKE_BUILD_TYPE=MinSizeRel -DREPLICATE_BUILD_TESTS=OFF -DREPLICATE_BUILD_BENCH=OFF
        -DREPLICATE_BUILD_EMULATOR=OFF -DREPLICATE_BUILD_FUZZ=OFF)
kib() { awk -v b="$1" 'BEGIN { printf "%.1f KiB", b / 1024 }'; }
over=0
rows=()
for t in "${targets[@]}"; do
  case "$t" in
    x86_64) prefix="" toolchain=() ;;
    aarch64) prefix=aarch64-linux-gnu- toolchain=(-DCMAKE_TOOLCHAIN_FILE="$PWD/toolchains/aarch64-linux-gnu.cmake") ;;
    armhf) prefix=arm-linux-gnueabihf- toolchain=(-DCMAKE_TOOLCHAIN_FILE="$PWD/toolchains/arm-linux-gnueabihf.cmake") ;;
  esac
  shared="build/size-$t"
  static="build/size-$t-static"
  echo "size-report: building $t" >&2
  cmake -S . -B "$shared" "${toolchain[@]}" "${common[@]}" -DBUILD_SHARED_LIBS=ON \
    -DREPLICATE_BUILD_EXAMPLES=OFF >/dev/null
  cmake --build "$shared" -j "$jobs" --target replicate >/dev/null
  cmake -S . -B "$static" "${toolchain[@]}" "${common[@]}" -DBUILD_SHARED_LIBS=OFF \
    -DREPLICATE_BUILD_EXAMPLES=ON >/dev/null
  cmake --build "$static" -j "$jobs" --target predict >/dev/null

  out="$shared/stripped"
  mkdir -p "$out"
  so="$(find "$shared/src" -maxdepth 1 -name 'libreplicate.so.*.*.*' -type f | head -n1)"
  "${prefix}strip" --strip-all -o "$out/libreplicate.so" "$so"
  "${prefix}strip" --strip-unneeded -o "$out/libreplicate.a" "$static/src/libreplicate.a"
  "${prefix}strip" --strip-all -o "$out/predict" "$static/examples/predict"
  so_bytes="$(stat -c %s "$out/libreplicate.so")"
  read -r text data bss _ < <("${prefix}size" "$out/libreplicate.so" | tail -n1)
  a_bytes="$(stat -c %s "$out/libreplicate.a")"
  p_bytes="$(stat -c %s "$out/predict")"
  rows+=("$(printf '%-8s %8s %-13s %8s %6s %5s | %8s | %8s' "$t" "$so_bytes" "($(kib "$so_bytes"))" \
    "$text" "$data" "$bss" "$a_bytes" "$p_bytes")")
  if [ "$t" = aarch64 ] && ((so_bytes > budget)); then over=1; fi
done

echo "libreplicate $(git describe --always --dirty 2>/dev/null || echo '?'), MinSizeRel, stripped, bytes:"
printf '%-8s %8s %-13s %8s %6s %5s | %8s | %8s\n' target .so "" text data bss .a predict
printf '%s\n' "${rows[@]}"
echo "budget: aarch64 libreplicate.so <= $budget bytes ($(kib "$budget"))$( ((over)) && echo ': OVER')"
if ((check && over)); then exit 1; fi
