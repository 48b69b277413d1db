#!/usr/bin/env bash
# Builds the Release benchmarks and prints their numbers: run() at scale and idle memory against
# the emulator (with the official Node client on the same workload, and its compatibility check),
# SSE streaming end to end, the SSE tokenizer alone, the data-URI encoder, and any other bench_*
# program that bench/*/bench.cmake defines.
#   scripts/bench.sh                 (BENCH_BUILD=dir to build elsewhere, FLAT_ROUNDS=N)
# Exits non-zero if any benchmark or the Node compatibility check failed; the others still run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
build=${BENCH_BUILD:-build/release}
jobs=${BENCH_JOBS:-$(nproc)}

# Every bench_* target, so a new benchmark is built and run without editing this script.
mapfile -t benches < <(sed -n 's/^add_executable(\(bench_[A-Za-z0-9_]*\).*/\1/p' bench/*/bench.cmake |
  sort -u)
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DREPLICATE_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j "$jobs" --target replicate-emulator "${benches[@]}" >/dev/null
emulator="$PWD/$build/emulator/replicate-emulator"
export REPLICATE_EMULATOR="$emulator"  # bench_util.hpp's default when no path is given
failed=()

run() {  # run NAME COMMAND...: prints the command's output; remembers a failure and goes on
  local name=$1
  shift
  "$@" || failed+=("$name (exit $?)")
}

# Node opens one socket per concurrent run (10,000 here) and the emulator accepts as many: with
# the usual soft limit of 1,024 descriptors most Node runs would fail with EMFILE.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

has() { [[ " ${benches[*]} " == *" $1 "* ]]; }

if has bench_runs; then
  echo "== run() at scale (replicate-cpp; poll mode, 50 ms interval, done on the 3rd poll)"
  out=$(mktemp)
  run bench_runs "$build/bench/bench_runs" "$emulator" --flat 0 >"$out"
  grep -v '^flatness: 0 rounds' "$out" || true
  # glibc's per-thread cache keeps up to 7 freed chunks per size class and mallinfo2() counts
  # them as in use, so with it the heap series wanders by a few KB; without it, it is exact.
  echo "== heap and RSS, ${FLAT_ROUNDS:-10} rounds of 10,000 predictions (glibc tcache off)"
  GLIBC_TUNABLES=glibc.malloc.tcache_count=0 run bench_runs_flat \
    "$build/bench/bench_runs" "$emulator" --flat "${FLAT_ROUNDS:-10}" >"$out"
  sed -n '/^flatness/,$p' "$out"
  rm -f "$out"
fi

echo "== run() at scale (official Node client replicate@1.4.0, same emulator, same workload)"
if command -v node >/dev/null && bench/node-client/install.sh; then
  run "node idle.mjs" node bench/node/idle.mjs bench/node-client/node_modules
  echo "   (open-file limit $(ulimit -n); each Node run below holds one socket)"
  for n in 1000 10000; do
    coproc EMU {
      exec "$emulator" --port 0 --polls-to-finish 3 --no-request-log --quiet --exit-on-stdin-eof
    }
    read -r base_url <&"${EMU[0]}"
    run "node bench_runs.mjs $n" \
      node --max-old-space-size=4096 bench/node-client/bench_runs.mjs "$base_url" "$n"
    kill "$EMU_PID" 2>/dev/null || true
    wait "$EMU_PID" 2>/dev/null || true
  done
  echo "== the official Node client, unchanged, against the emulator (run, predictions, pagination)"
  run "node compat.mjs" tests/node/run_compat.sh "$emulator"
else
  failed+=("node client (node or npm install missing)")
fi

for b in "${benches[@]}"; do
  case $b in
    bench_runs) ;;
    bench_stream)
      echo "== streaming end to end"
      run "$b" "$build/bench/$b" "$emulator" ;;
    bench_sse_tokenizer)
      echo "== SSE tokenizer"
      run "$b" "$build/bench/$b" ;;
    bench_data_uri)
      echo "== data-URI encoder"
      run "$b" "$build/bench/$b" ;;
    bench_frame_run)
      echo "== run() with an 8 MB camera frame as a data URI"
      run "$b" "$build/bench/$b" "$emulator" 8 ;;
    *)
      echo "== $b"
      run "$b" "$build/bench/$b" ;;
  esac
done

if ((${#failed[@]})); then
  printf 'FAILED: %s\n' "${failed[@]}" >&2
  exit 1
fi
