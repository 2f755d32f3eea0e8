#!/usr/bin/env bash
# Every libFuzzer target of scripts/fuzz/run.sh for SECONDS each, at most
# JOBS at a time (the targets are built first, once). `make test-fuzz-http`
# (CI) and `make fuzz-http` call this. Prints per target its executions and
# whether it found anything, and last `fuzz-http: N passed, N failed`; a
# finding's input and log stay in build/fuzz/TARGET/.
# With --share (CI) and more targets than JOBS, all targets run at once for
# SECONDS x targets / JOBS each: on JOBS free cores each still gets SECONDS of
# a core, and no core idles while the last target runs alone (3 targets on 2
# cores: 90 s instead of 60 + 60; 4 targets of 45 s on 2 cores: 90 s).
#   scripts/fuzz/run-all.sh [SECONDS] [JOBS] [--share]
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SECS=${1:-60}
JOBS=${2:-2}
SHARE=${3:-}
TARGETS=(http-parse http-server json json-gen)
start=$SECONDS
if ! "$HERE/run.sh" --build "${TARGETS[@]}"; then
    echo "fuzz-http: build failed"
    echo "fuzz-http: 0 passed, ${#TARGETS[@]} failed"
    exit 1
fi
if [ "$SHARE" = --share ] && [ "${#TARGETS[@]}" -gt "$JOBS" ]; then
    wall=$(( (SECS * ${#TARGETS[@]} + JOBS - 1) / JOBS ))
    echo "fuzz-http: built in $((SECONDS - start)) s; ${#TARGETS[@]} targets at once for ${wall} s each on ${JOBS} cores (${SECS} s of a core per target)"
    SECS=$wall
    JOBS=${#TARGETS[@]}
else
    echo "fuzz-http: built in $((SECONDS - start)) s; ${SECS} s per target, ${JOBS} at a time"
fi
pids=()
for t in "${TARGETS[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do sleep 1; done
    mkdir -p "$ROOT/build/fuzz/$t"
    "$HERE/run.sh" "$t" "$SECS" > "$ROOT/build/fuzz/$t/log" 2>&1 &
    pids+=($!)
done
passed=0
failed=0
for i in "${!TARGETS[@]}"; do
    t=${TARGETS[$i]}
    wait "${pids[$i]}"
    rc=$?
    runs=$(grep -Eo 'stat::number_of_executed_units: [0-9]+' "$ROOT/build/fuzz/$t/log" | grep -Eo '[0-9]+$')
    if [ "$rc" = 0 ]; then
        passed=$((passed + 1))
        echo "ok   $t: ${runs:-?} inputs, nothing found"
    else
        failed=$((failed + 1))
        echo "FAIL $t (exit $rc): see build/fuzz/$t/log"
        grep -E 'ERROR|property failed|SUMMARY|Test unit written' "$ROOT/build/fuzz/$t/log" | head -n 8 | sed 's/^/     /'
    fi
done
echo "fuzz-http: $((SECONDS - start)) s in all"
echo "fuzz-http: $passed passed, $failed failed"
[ "$failed" = 0 ]
