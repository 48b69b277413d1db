#!/usr/bin/env bash
# Installs the Debian packages replicate-cpp builds, tests and benchmarks with. Idempotent: it
# installs only what is missing, so a second run costs one dpkg query.
set -euo pipefail
packages=(cmake g++ make pkg-config curl libuv1-dev libcurl4-openssl-dev libcjson-dev libmbedtls-dev
          libcmocka-dev clang clang-format libclang-rt-14-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# The official Node client's compatibility test needs node and npm; any recent node will do
# (Debian 12 ships 18), so only install them when there is none.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if ((${#missing[@]})); then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
