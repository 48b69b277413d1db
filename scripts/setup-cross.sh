#!/usr/bin/env bash
# Installs the ARM cross toolchains and qemu-user, and makes one Debian bookworm sysroot per target
# under .sysroots/<triple> (or $REPLICATE_SYSROOTS_DIR/<triple>) for toolchains/*.cmake.
# Usage: scripts/setup-cross.sh [aarch64|armhf ...]   (default: both)
# Idempotent: a second run costs a few dpkg queries and one hash per sysroot. A sysroot is rebuilt
# only when its stamp (hash of suite, architecture, mirrors, package list) differs.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
sysroots="${REPLICATE_SYSROOTS_DIR:-$root/.sysroots}"
suite=bookworm
# What libreplicate, its tests and their headers need inside the sysroot. The cross g++ brings its
# own compiler runtime; libstdc++-12-dev matches Debian 12's cross g++ 12.
sysroot_packages=libc6-dev,libstdc++-12-dev,libuv1-dev,libcurl4-openssl-dev,libcjson-dev,libmbedtls-dev,libcmocka-dev
host_packages=(g++-aarch64-linux-gnu g++-arm-linux-gnueabihf qemu-user mmdebstrap
               debian-archive-keyring cmake make pkg-config perl)

sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"

targets=("$@")
((${#targets[@]})) || targets=(aarch64 armhf)
for t in "${targets[@]}"; do
  case "$t" in aarch64 | armhf) ;; *) echo "setup-cross: unknown target '$t' (aarch64|armhf)" >&2; exit 2 ;; esac
done

# 1. Host packages: install only what is missing.
missing=()
for p in "${host_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup-cross: installing ${missing[*]}" >&2
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# 2. Mirrors: the ones the host's apt already uses (only Debian's archive may be reachable), so
# read /etc/apt/sources.list{,.d/*} in both one-line and deb822 form. Prints "uri suite" pairs.
apt_source_pairs() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    # deb [options] uri suite components...
    sed -n -E 's/^[[:space:]]*deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+)[[:space:]]+([^[:space:]]+).*/\2 \3/p' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk 'function flush() { if (types ~ /(^| )deb( |$)/ && enabled != "no")
                              for (i = 1; i <= nu; i++) for (j = 1; j <= ns; j++) print u[i], s[j];
                            types = ""; enabled = ""; nu = 0; ns = 0 }
         /^[[:space:]]*$/ { flush(); next }
         /^#/ { next }
         { key = tolower($1); sub(/:$/, "", key) }
         key == "types" { types = $0; sub(/^[^:]*:[[:space:]]*/, "", types) }
         key == "enabled" { enabled = tolower($2) }
         key == "uris" { for (i = 2; i <= NF; i++) u[++nu] = $i }
         key == "suites" { for (i = 2; i <= NF; i++) s[++ns] = $i }
         END { flush() }' "$f"
  done
}
pairs="$(apt_source_pairs | sort -u)"
# The archive mirror: any deb.debian.org-like URI that carries the suite (not -security/-updates).
mirror="${REPLICATE_DEBIAN_MIRROR:-$(awk -v s="$suite" '$2 == s { print $1; exit }' <<<"$pairs")}"
mirror="${mirror:-http://deb.debian.org/debian}"
security="$(awk -v s="$suite-security" '$2 == s { print $1; exit }' <<<"$pairs")"
updates="$(awk -v s="$suite-updates" '$2 == s { print $1; exit }' <<<"$pairs")"
sources=("deb $mirror $suite main")
[ -z "$updates" ] || sources+=("deb $updates $suite-updates main")
[ -z "$security" ] || sources+=("deb $security $suite-security main")

# Absolute symlinks (libfoo.so -> /lib/<triple>/libfoo.so.1) would make the linker and qemu pick
# the host's files: make every one relative to the sysroot. find does not descend into symlinked
# directories, so each link's directory is a physical path and the lexical relative path is right.
relativize_symlinks() {
  perl -MFile::Find -MFile::Spec -MFile::Basename -e '
    my $root = $ARGV[0]; my $n = 0;
    find({ no_chdir => 1, wanted => sub {
      return unless -l $_;
      my $t = readlink $_;
      return unless defined $t && $t =~ m{^/};
      my $rel = File::Spec->abs2rel($root . $t, dirname($_));
      unlink $_ or die "unlink $_: $!";
      symlink $rel, $_ or die "symlink $_: $!";
      $n++;
    } }, $root);
    print STDERR "setup-cross: made $n absolute symlinks relative\n";' "$1"
}

# 3. One sysroot per target, built beside its final place and renamed when complete.
for t in "${targets[@]}"; do
  case "$t" in
    aarch64) arch=arm64 triple=aarch64-linux-gnu qemu=qemu-aarch64 ;;
    armhf) arch=armhf triple=arm-linux-gnueabihf qemu=qemu-arm ;;
  esac
  dir="$sysroots/$triple"
  stamp_text="v1 $suite $arch $sysroot_packages ${sources[*]}"
  stamp="$(printf '%s' "$stamp_text" | sha256sum | cut -d' ' -f1)"
  if [ -f "$dir/.replicate-sysroot-stamp" ] && [ "$(cat "$dir/.replicate-sysroot-stamp")" = "$stamp" ]; then
    echo "setup-cross: $dir is up to date" >&2
  else
    echo "setup-cross: making $dir ($arch, $suite, from $mirror)" >&2
    mkdir -p "$sysroots"
    $sudo_cmd rm -rf "$dir.tmp"
    $sudo_cmd mmdebstrap --quiet --variant=extract --architectures="$arch" \
      --include="$sysroot_packages" "$suite" "$dir.tmp" "${sources[@]}"
    [ -z "$sudo_cmd" ] || $sudo_cmd chown -R "$(id -u):$(id -g)" "$dir.tmp"
    relativize_symlinks "$dir.tmp"
    # Nothing in a sysroot is executed by the build; the apt state is only weight.
    rm -rf "$dir.tmp/var/cache/apt" "$dir.tmp/var/lib/apt/lists"
    printf '%s\n' "$stamp" >"$dir.tmp/.replicate-sysroot-stamp"
    rm -rf "$dir"
    mv "$dir.tmp" "$dir"
  fi
  # Smoke test: the cross g++ links a dynamically linked C++ program against this sysroot and
  # qemu-user runs it with -L <sysroot> (the sysroot's loader and libs; no binfmt_misc needed,
  # ctest calls qemu explicitly through CMAKE_CROSSCOMPILING_EMULATOR).
  smoke="$(mktemp -d)" out=""
  printf '%s\n' '#include <gnu/libc-version.h>' '#include <iostream>' \
    'int main() { std::cout << "glibc " << gnu_get_libc_version() << "\n"; }' >"$smoke/smoke.cpp"
  if ! "$triple-g++" --sysroot="$dir" -O1 -o "$smoke/smoke" "$smoke/smoke.cpp" ||
     ! out="$("$qemu" -L "$dir" "$smoke/smoke" 2>&1)"; then
    echo "setup-cross: $t: the cross g++ or '$qemu -L $dir' failed on a hello world: ${out:-}" >&2
    rm -rf "$smoke"
    exit 1
  fi
  rm -rf "$smoke"
  echo "setup-cross: $t ready ($triple-g++ --sysroot=$dir; $qemu -L $dir runs it: $out)" >&2
done
