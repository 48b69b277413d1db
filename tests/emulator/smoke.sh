#!/bin/sh
# usage: smoke.sh path/to/replicate-emulator path/to/curl
# Starts the emulator on an ephemeral port and checks the base-URL line, auth, a Prefer: wait
# prediction, a stream, and the control API. Exits non-zero on the first failure.
set -u
emulator=$1
curl=$2
dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
mkfifo "$dir/in"
"$emulator" --port 0 --exit-on-stdin-eof --quiet <"$dir/in" >"$dir/out" &
pid=$!
exec 3>"$dir/in"  # the emulator exits when this closes
i=0
while [ ! -s "$dir/out" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
base=$(head -n 1 "$dir/out")
case "$base" in http://127.0.0.1:*/v1) ;; *) echo "bad base URL line: '$base'"; exit 1 ;; esac
origin=${base%/v1}
fail() { echo "FAIL: $*"; exit 1; }
auth="Authorization: Bearer smoke"

code=$("$curl" -s -o /dev/null -w '%{http_code}' "$base/models")
[ "$code" = 401 ] || fail "no token gave $code, want 401"
body=$("$curl" -s -H "$auth" -H 'Prefer: wait=10' -d '{"input":{"text":"smoke"}}' \
  "$base/models/replicate/hello-world/predictions")
printf "%s\n" "$body" | grep -q '"output":"hello smoke"' || fail "Prefer: wait answer: $body"
printf "%s\n" "$body" | grep -q '"status":"succeeded"' || fail "status: $body"
stream=$(printf "%s\n" "$body" | sed 's/.*"stream":"\([^"]*\)".*/\1/')
events=$("$curl" -s -N "$stream")
[ -n "$events" ] || fail "empty stream from $stream"
printf "%s\n" "$events" | grep -q '^data: hello smoke$' || fail "stream: $events"
printf "%s\n" "$events" | grep -q '^event: done$' || fail "stream has no done: $events"
"$curl" -s -X POST -d '{"path_prefix":"/v1/account","kind":"status","status":503}' \
  "$origin/_emulator/faults" >/dev/null
code=$("$curl" -s -o /dev/null -w '%{http_code}' -H "$auth" "$base/account")
[ "$code" = 503 ] || fail "fault gave $code, want 503"
code=$("$curl" -s -o /dev/null -w '%{http_code}' -H "$auth" "$base/account")
[ "$code" = 200 ] || fail "after the fault: $code, want 200"
"$curl" -s "$origin/_emulator/requests" | grep -q '"path":"/v1/account"' || fail "request log"
exec 3>&-
i=0
while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
kill -0 "$pid" 2>/dev/null && fail "did not exit on stdin EOF"
echo "emulator smoke test passed"
