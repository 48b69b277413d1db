#!/usr/bin/env bash
# Runs every example program against a fresh emulator and fails if any exits non-zero.
# Usage: run_examples.sh EMULATOR EXAMPLES_DIR [RUNNER...]   (RUNNER: e.g. qemu-aarch64 -L sysroot)
set -euo pipefail
emulator="$1"
dir="$2"
shift 2
runner=("$@")

coproc EMU { exec "$emulator" --port 0 --exit-on-stdin-eof --quiet; }
read -r base_url <&"${EMU[0]}"
trap 'kill "$EMU_PID" 2>/dev/null || true' EXIT
export REPLICATE_BASE_URL="$base_url" REPLICATE_API_TOKEN=r8_examples

run() {
  local name="$1"
  shift
  echo "== $name $*"
  if ! "${runner[@]}" "$dir/$name" "$@" >"/tmp/example-$$-$name.log" 2>&1; then
    cat "/tmp/example-$$-$name.log"
    echo "FAILED: $name" >&2
    exit 1
  fi
  tail -n 3 "/tmp/example-$$-$name.log"
  rm -f "/tmp/example-$$-$name.log"
}

run predict
run predict --no-stream replicate/slow '{"seconds": 0.5}'
run existing_loop replicate/hello-world 3
run camera_caption --frames 3 --fps 20
version=$(curl -sf -H "Authorization: Bearer $REPLICATE_API_TOKEN" "$base_url/models/replicate/hello-world" |
  sed -E 's/.*"latest_version":\{"id":"([0-9a-f]{64})".*/\1/')
run models replicate/hello-world
run files "$(dirname "$0")/../../examples/assets/frame_001.jpg" replicate/image
curl -sf -o /dev/null -H "Authorization: Bearer $REPLICATE_API_TOKEN" -H 'Content-Type: application/json' \
  -d '{"owner":"emulator","name":"examples-trained","visibility":"private","hardware":"cpu"}' \
  "$base_url/models"
run trainings "replicate/hello-world:$version" emulator/examples-trained '{"text":"train"}'
run deployments "replicate/hello-world:$version" examples-deployment '{"text":"deployed"}'
body="/tmp/example-$$-webhook.json"
printf '%s' '{"id":"gm3qorzdhgbfurvjtvhg6dckhu","status":"succeeded"}' >"$body"
run webhook_verify --tolerance 0 whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD test-id-1 1700000000 \
  'v1,ScP3xrB++r0l2qOfwxGAUIvm1m98Y5ZiXxJXsJZtG/A=' "$body"
rm -f "$body"
echo "all examples ran"
