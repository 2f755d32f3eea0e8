#!/usr/bin/env bash
# Makes sure `valgrind` is there for `make test-programs-valgrind`: installs
# Debian's valgrind with apt-get when it is missing and we are root (as
# scripts/setup.sh does for clang and libuv). Fails, with the command to run,
# when it is missing and we are not root.
set -euo pipefail
command -v valgrind >/dev/null 2>&1 && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "valgrind: not installed, and installing it needs root; run:" >&2
  echo "  sudo sh -c \"apt-get update && apt-get install -y --no-install-recommends valgrind\"" >&2
  exit 1
fi
command -v apt-get >/dev/null 2>&1 || { echo "valgrind: not installed and no apt-get to install it with" >&2; exit 1; }
echo "valgrind: installing with apt-get"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -qq --no-install-recommends valgrind >/dev/null 2>&1; then
  apt-get update -qq >/dev/null 2>&1 || true
  apt-get install -y -qq --no-install-recommends valgrind >/dev/null 2>&1 || {
    echo "valgrind: apt-get failed; run it by hand to see why: apt-get install -y --no-install-recommends valgrind" >&2
    exit 1
  }
fi
command -v valgrind >/dev/null 2>&1
