#!/bin/sh
# The std/json libFuzzer target; see scripts/fuzz/run.sh (all the runtime's targets).
#   scripts/fuzz/json/run.sh [SECONDS]
exec "$(dirname "$0")/../run.sh" json "${1:-60}"
