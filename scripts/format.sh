#!/usr/bin/env bash
# clang-format over every tracked C++ file. `--check` fails on any difference (CI); without it,
# files are rewritten in place. Pinned to clang-format 14 (Debian 12): other versions format
# some constructs differently.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(clang-format --version | sed -E 's/.*version ([0-9]+).*/\1/')
if [ "$version" != "14" ]; then
  echo "format.sh: clang-format $version found; the style is pinned to 14" >&2
  exit 2
fi
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' '*.h' '*.cc')
if [ "${1:-}" = "--check" ]; then
  clang-format --dry-run -Werror "${files[@]}"
  echo "clang-format: ${#files[@]} files clean"
else
  clang-format -i "${files[@]}"
fi
