#!/usr/bin/env bash
# Builds the Release benchmarks and prints their numbers: run() at scale and idle memory against
# the emulator (with the official Node client on the same workload), SSE streaming end to end,
# the SSE tokenizer alone, and the data-URI encoder.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
build=build/release
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DREPLICATE_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j "$(nproc)" --target replicate-emulator bench_runs bench_stream \
  bench_sse_tokenizer bench_data_uri bench_frame_run >/dev/null
emulator="$build/emulator/replicate-emulator"

echo "== run() at scale (replicate-cpp)"
"$build/bench/bench_runs" "$emulator" --flat "${FLAT_ROUNDS:-10}"

echo "== run() at scale (official Node client, same emulator)"
bench/node-client/install.sh
for n in 1000 10000; do
  coproc EMU { exec "$emulator" --port 0 --polls-to-finish 3 --no-request-log --quiet --exit-on-stdin-eof; }
  read -r base_url <&"${EMU[0]}"
  node --max-old-space-size=4096 bench/node-client/bench_runs.mjs "$base_url" "$n"
  kill "$EMU_PID" 2>/dev/null || true
  wait "$EMU_PID" 2>/dev/null || true
done

echo "== streaming end to end"
"$build/bench/bench_stream" "$emulator"
echo "== SSE tokenizer"
"$build/bench/bench_sse_tokenizer"
echo "== data-URI encoder"
"$build/bench/bench_data_uri"
echo "== run() with an 8 MB camera frame as a data URI"
"$build/bench/bench_frame_run" "$emulator" 8
