#!/usr/bin/env bash
# Makes sure `go` is there for the Go versions of the compute benchmarks
# (scripts/bench/run.ts): installs Debian's golang-go when it is missing and we
# are root. Never fails: without Go, the benchmarks report Go as "n/a".
command -v go >/dev/null 2>&1 && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "bench: go is not installed and we are not root; as root run:" >&2
  echo "  apt-get install -y --no-install-recommends golang-go" >&2
  echo "bench: the Go versions are skipped" >&2
  exit 0
fi
echo "bench: installing golang-go with apt-get"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -qq --no-install-recommends golang-go >/dev/null 2>&1; then
  apt-get update -qq >/dev/null 2>&1
  apt-get install -y -qq --no-install-recommends golang-go >/dev/null 2>&1 ||
    echo "bench: could not install golang-go; the Go versions are skipped" >&2
fi
exit 0
