#!/usr/bin/env bash
# `make test`'s suite runner: runs `make test-<suite>` for every suite in
# SUITES, each suite's output to the terminal and to LOGS/<suite>.log, its exit
# code to LOGS/<suite>.rc, then the summary table and last the line
# `N passed, N failed` (every suite runs even when an earlier one fails).
#
# Suites in BACKGROUND mostly wait (the HTTP suites: about 31 s of their 33 s
# is the 408 header-timeout test's wait). They run one after another in a
# second lane that starts together with the suite BESIDE (a CPU-bound one),
# so their waiting overlaps its work instead of adding to the total. Their
# output goes to their logs and is printed whole once the lane is done; the
# summary lists every suite in SUITES order either way.
#
#   SUITES="unit ..." BACKGROUND="http http-san" BESIDE=fuzz LOGS=build/test-logs scripts/run-suites.sh
set -u
MAKE=${MAKE:-make}
LOGS=${LOGS:-build/test-logs}
BACKGROUND=${BACKGROUND:-}
BESIDE=${BESIDE:-}
read -r -a suites <<< "${SUITES:?SUITES is empty}"
read -r -a background <<< "$BACKGROUND"
mkdir -p "$LOGS"

in_background() { local b; for b in "${background[@]}"; do [ "$b" = "$1" ] && return 0; done; return 1; }

# One suite: output to its log (and to stdout when $2 is "tee"), exit code and seconds to files.
run_suite() {
  local s=$1 t0=$SECONDS rc
  if [ "$2" = tee ]; then
    $MAKE --no-print-directory "test-$s" 2>&1 | tee "$LOGS/$s.log"; rc=${PIPESTATUS[0]}
  else
    $MAKE --no-print-directory "test-$s" > "$LOGS/$s.log" 2>&1; rc=$?
  fi
  echo "$rc" > "$LOGS/$s.rc"
  echo "$((SECONDS - t0))" > "$LOGS/$s.secs"
}

# The background suites that will run (a BESIDE suite not in SUITES starts none; they run in the main lane then).
lane=()
if [ -n "$BESIDE" ] && [[ " ${suites[*]} " == *" $BESIDE "* ]]; then
  for s in "${suites[@]}"; do in_background "$s" && [ "$s" != "$BESIDE" ] && lane+=("$s"); done
fi
is_lane() { local b; for b in "${lane[@]}"; do [ "$b" = "$1" ] && return 0; done; return 1; }

start=$SECONDS
lane_pid=""
for s in "${suites[@]}"; do
  if is_lane "$s"; then continue; fi
  if [ "$s" = "$BESIDE" ] && [ "${#lane[@]}" -gt 0 ]; then
    echo "=== ${lane[*]}: started in the background, beside $s"
    ( for b in "${lane[@]}"; do run_suite "$b" quiet; done ) &
    lane_pid=$!
  fi
  echo "=== $s"
  run_suite "$s" tee
  echo "=== $s: $(cat "$LOGS/$s.secs") s"
done
if [ -n "$lane_pid" ]; then
  wait "$lane_pid"
  for b in "${lane[@]}"; do
    echo "=== $b (ran in the background beside $BESIDE)"
    cat "$LOGS/$b.log"
    echo "=== $b: $(cat "$LOGS/$b.secs") s"
  done
fi

echo; echo "=== summary ($((SECONDS - start)) s; logs in $LOGS/)"
passed=0; failed=0
for s in "${suites[@]}"; do
  rc=$(cat "$LOGS/$s.rc" 2>/dev/null || echo 1)
  line=$(sed 's/\x1b\[[0-9;]*m//g' "$LOGS/$s.log" 2>/dev/null | grep -Eo '[0-9]+ passed, [0-9]+ failed' | tail -n 1)
  if [ -n "$line" ]; then p=${line%% passed*}; f=${line#*, }; f=${f%% failed}
  elif [ "$rc" = 0 ]; then p=1; f=0; else p=0; f=1; fi
  if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; fi
  printf '  %-16s %5d passed, %4d failed%s\n' "$s" "$p" "$f" "$([ "$rc" = 0 ] || echo "  (exit $rc)")"
  passed=$((passed + p)); failed=$((failed + f))
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
