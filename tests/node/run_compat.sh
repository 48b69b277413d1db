#!/bin/sh
# The official Node client (npm replicate@1.4.0) against a fresh emulator: proves the emulator is
# faithful enough for a real client that no one here wrote.
#   run_compat.sh EMULATOR
set -eu
here=$(cd "$(dirname "$0")" && pwd)
client="$here/../../bench/node-client"
"$client/install.sh"
fifo=$(mktemp -u)
mkfifo "$fifo"
"$1" --port 0 --page-size 2 --quiet >"$fifo" &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -f "$fifo"' EXIT
read -r base_url <"$fifo"
node "$client/compat.mjs" "$base_url"
