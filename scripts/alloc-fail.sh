#!/usr/bin/env bash
# Allocation-failure injection (issue 11, item 13): builds the runtime's C
# tests and a few programs with cruntime/src/fault_alloc.c wrapped around
# malloc/calloc/realloc/strdup (and handed to libuv), then runs each once per
# allocation N with the Nth allocation failing (CO_FAIL_ALLOC_AT=N), until N
# passes the last one. Every run must end cleanly: a `panic:` line (out of
# memory ends the process) with exit 101 (or 1 for the runtime's tests: a
# forked child of theirs may be the one that failed, and the test checking it
# reports that), or the program's normal output and status when the failure
# was absorbed. A signal, a timeout, a sanitizer report or any other ending
# is a crash: the run is kept under build/alloc-fail/crashes/ and the sweep
# fails, libuv's allocations included.
#
#   scripts/alloc-fail.sh [--quick] [--san] [--persist] [--points=P] [--runtime-points=R]
#   --points  at most P allocation points per binary (default 400): a binary
#             making more allocations gets P points spread evenly over them
#   --runtime-points  at most R for the runtime's tests (default P; one run
#             of them takes seconds, a program's a few milliseconds)
#   --quick   two programs (not the runtime's tests, whose one run takes
#             seconds), 40 points each: the slice `make test` runs
#   --san     build with clang ASan+UBSan instead of gcc -O0
#   --persist every allocation from the Nth on fails (CO_FAIL_ALLOC_PERSIST=1)
set -u
cd "$(dirname "$0")/.."
POINTS=400; RT_POINTS=""; CC=gcc; OPT="-O0 -g"; SAN=""; PERSIST=0; TAG=gcc
QUICK=0
for a in "$@"; do
  case "$a" in
    --quick) QUICK=1; POINTS=40 ;;
    --points=*) POINTS=${a#--points=} ;;
    --runtime-points=*) RT_POINTS=${a#--runtime-points=} ;;
    --san) CC=clang; OPT="-O1"; SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g"; TAG=san ;;
    --persist) PERSIST=1 ;;
    *) echo "usage: scripts/alloc-fail.sh [--quick] [--san] [--persist] [--points=P] [--runtime-points=R]" >&2; exit 2 ;;
  esac
done
OUT=build/alloc-fail/$TAG
mkdir -p "$OUT" build/alloc-fail/crashes
WRAP="-Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup"
make --no-print-directory -s -C cruntime OUT="../$OUT/rt" CC=$CC OPT="$OPT" CFLAGS_EXTRA="$SAN" lib >/dev/null || exit 1
RT=$OUT/rt/libcolang.a
CFLAGS="-std=c11 -Wall -Wextra -Werror -fno-math-errno $OPT $SAN -I cruntime/include"
LIBS="-luv -lm"

# name: the binary to sweep, built here
TARGETS=()
if [ $QUICK = 0 ]; then
  $CC $CFLAGS -Icruntime/tests cruntime/tests/*.c $RT $LIBS $WRAP -o $OUT/runtime_tests || exit 1
  TARGETS=(runtime_tests)
fi
PROGRAMS=(help_vec_copies help_strings habits_map_key_hash closure_in_structs_vecs json_large async_closures async_all_nested drop_global_tasks async_fs_roundtrip)
[ $QUICK = 1 ] && PROGRAMS=(help_strings async_closures)
for p in "${PROGRAMS[@]}"; do
  node bin/coc.js build tests/programs/$p.co --emit-c -o $OUT/$p.emit >/dev/null || exit 1
  $CC $CFLAGS -Wno-unused-function -Wno-unused-variable -Wno-unused-parameter -Wno-unused-but-set-variable -Wno-unused-label \
    $OUT/$p.emit.c $RT $LIBS $WRAP -o $OUT/$p || exit 1
  TARGETS+=("$p")
done

export ASAN_OPTIONS="detect_leaks=0:allocator_may_return_null=1" UBSAN_OPTIONS=print_stacktrace=1
[ $PERSIST = 1 ] && export CO_FAIL_ALLOC_PERSIST=1
total_points=0; total_runs=0; crashes=0; uv_points=0; named=0
ABS=$PWD/$OUT
for t in "${TARGETS[@]}"; do
  dir=tests/programs; [ "$t" = runtime_tests ] && dir=cruntime
  exe=$ABS/$t
  # the normal run: its stdout and status are what an absorbed failure must give
  start=$SECONDS
  (cd $dir && CO_ALLOC_COUNT=1 timeout -k 10 600 "$exe" >"$ABS/$t.ref" 2>"$ABS/err" </dev/null); ref_rc=$?
  LIMIT=$(( (SECONDS - start) * 5 + 30 ))   # a loaded machine slows every run alike
  count=$(grep -o "allocations: [0-9]*" "$ABS/err" | tail -1 | grep -o "[0-9]*$")
  count=${count:-100000}   # a normal run that panics does not report: sweep until N passes the end
  P=$POINTS; [ "$t" = runtime_tests ] && [ -n "$RT_POINTS" ] && P=$RT_POINTS
  STEP=$(( (count + P - 1) / P )); [ $STEP -lt 1 ] && STEP=1
  n=1; points=0
  while :; do
    (cd $dir && CO_FAIL_ALLOC_AT=$n timeout -k 10 $LIMIT "$exe" >"$ABS/out" 2>"$ABS/err" </dev/null); rc=$?
    err=$(cat "$ABS/err")
    # past the last allocation (a run killed by the time limit before it got there is a failure)
    if ! grep -q "fault injected" <<<"$err" && [ $rc != 124 ]; then break; fi
    points=$((points + 1)); total_runs=$((total_runs + 1))
    grep -q "failed in libuv\]" <<<"$err" && uv_points=$((uv_points + 1))
    grep -q "out of memory in \`" <<<"$err" && named=$((named + 1))
    bad=""
    # (a failure inside libuv is a crash too: libuv allocates through the
    # runtime's allocator, which ends the process with a panic on NULL, where
    # libuv itself would abort() growing its watcher array)
    if false; then :
    elif [ $rc -ge 124 ]; then bad="exit $rc (signal or timeout)"
    elif grep -qE "AddressSanitizer|LeakSanitizer|runtime error:" <<<"$err"; then bad="sanitizer report"
    elif [ $rc = 101 ] || { [ $rc = 1 ] && [ "$t" = runtime_tests ]; } || [ $rc = $ref_rc ]; then
      if ! grep -q "panic: " "$ABS/err" "$ABS/out" && { [ $rc != $ref_rc ] || ! cmp -s "$ABS/out" "$ABS/$t.ref"; }; then bad="exit $rc without a panic line, output differs"; fi
    else bad="exit $rc"; fi
    if [ -n "$bad" ]; then
      crashes=$((crashes + 1))
      echo "CRASH $t at allocation $n: $bad"
      printf '%s\n' "$err" | grep -v "^\[fault" | head -5 | sed 's/^/    /'
      printf 'CO_FAIL_ALLOC_AT=%s %s\n%s\n' "$n" "$t" "$err" > build/alloc-fail/crashes/$TAG-$t-$n.txt
    fi
    n=$((n + STEP))
  done
  echo "($t: $count allocations; $points of them failed, one per run, every ${STEP}th)"
  total_points=$((total_points + points))
done
echo "(alloc-fail $TAG$([ $PERSIST = 1 ] && echo ' persist'): ${#TARGETS[@]} binaries, $total_points failed allocations injected ($uv_points of them libuv's), $crashes crashes; $named panics named the function)"
# a failure inside a Colang function's call names it (`panic: out of memory in \`main\``): the
# programs' sweeps must show it, or the lookup broke
if [ ${#TARGETS[@]} -gt 0 ] && [ $named = 0 ] && [ "$TARGETS" != runtime_tests ]; then
  echo "no out-of-memory panic named its function"; crashes=$((crashes + 1))
fi
if [ $crashes = 0 ]; then echo "alloc-fail: 1 passed, 0 failed"; else echo "alloc-fail: 0 passed, 1 failed"; exit 1; fi
