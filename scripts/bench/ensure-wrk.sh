#!/usr/bin/env bash
# Makes sure `wrk` is there for the HTTP benchmarks (scripts/bench/http/run.ts):
# installs Debian's wrk when it is missing and we are root. Unlike Go for the
# compute benchmarks, wrk is required: exits 1 when it cannot be had.
command -v wrk >/dev/null 2>&1 && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "bench-http: wrk is not installed and we are not root; as root run:" >&2
  echo "  apt-get install -y --no-install-recommends wrk" >&2
  exit 1
fi
echo "bench-http: installing wrk with apt-get"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -qq --no-install-recommends wrk >/dev/null 2>&1; then
  apt-get update -qq >/dev/null 2>&1
  apt-get install -y -qq --no-install-recommends wrk >/dev/null 2>&1 || {
    echo "bench-http: could not install wrk" >&2
    exit 1
  }
fi
exit 0
