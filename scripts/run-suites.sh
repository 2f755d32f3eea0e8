#!/usr/bin/env bash
# `make test`'s suite runner: runs `make test-<suite>` for every suite in
# SUITES, each suite's output to the terminal and to LOGS/<suite>.log, its exit
# code to LOGS/<suite>.rc, then the summary table and last the line
# `N passed, N failed` (every suite runs even when an earlier one fails).
# After each suite: `=== SUITE: N s (CPU M s)`, wall time and user + sys.
#
# LANES lists second lanes, each `SUITE,SUITE@BESIDE`: those suites run one
# after another in the background, starting together with suite BESIDE of
# the main lane. A lane holds suites that mostly wait or use one core beside
# one that leaves a core idle or waits itself: the HTTP suites (about 31 s of
# their 33 s is the 408 header-timeout test's wait) beside fuzz, alloc-fail
# and bench-smoke (one program at a time) beside unit (one test file at a
# time). A lane's output goes to its suites' logs and is printed whole once
# the main lane is done; the summary lists every suite in SUITES order.
#
#   SUITES="unit ..." LANES="http,http-san@fuzz" LOGS=build/test-logs scripts/run-suites.sh
set -u
MAKE=${MAKE:-make}
LOGS=${LOGS:-build/test-logs}
read -r -a suites <<< "${SUITES:?SUITES is empty}"
read -r -a lanes <<< "${LANES:-}"
mkdir -p "$LOGS"

in_suites() { [[ " ${suites[*]} " == *" $1 "* ]]; }

# One suite: output to its log (and to stdout when $2 is "tee"), exit code,
# seconds and CPU seconds (user + sys, its processes included) to files.
run_suite() {
  local s=$1 t0=$SECONDS rc TIMEFORMAT='%U %S'
  {
    time {
      if [ "$2" = tee ]; then
        $MAKE --no-print-directory "test-$s" 2>&1 | tee "$LOGS/$s.log"; rc=${PIPESTATUS[0]}
      else
        $MAKE --no-print-directory "test-$s" > "$LOGS/$s.log" 2>&1; rc=$?
      fi
    }
  } 2> "$LOGS/$s.times"
  echo "$rc" > "$LOGS/$s.rc"
  echo "$((SECONDS - t0))" > "$LOGS/$s.secs"
}
# "N s (CPU M s)" for a suite that ran.
took() { echo "$(cat "$LOGS/$1.secs") s (CPU $(awk '{ printf "%d", $1 + $2 + 0.5 }' "$LOGS/$1.times") s)"; }

# Each lane: its suites (those in SUITES) and the main-lane suite it starts beside.
# A lane whose BESIDE suite is not in SUITES (or is in a lane) runs in the main lane.
lane_of=()      # "suites of lane i", space-separated
lane_beside=()
in_lane=" "
for l in "${lanes[@]}"; do
  beside=${l#*@}; list=${l%@*}; own=""
  in_suites "$beside" || continue
  for s in ${list//,/ }; do in_suites "$s" && [ "$s" != "$beside" ] && own="$own $s"; done
  [ -n "$own" ] || continue
  lane_of+=("${own# }"); lane_beside+=("$beside"); in_lane="$in_lane${own# } "
done
for b in "${lane_beside[@]}"; do
  [[ "$in_lane" == *" $b "* ]] && { echo "run-suites: LANES: $b starts a lane and is in one"; echo "0 passed, 1 failed"; exit 2; }
done

start=$SECONDS
pids=()
for s in "${suites[@]}"; do
  [[ "$in_lane" == *" $s "* ]] && continue
  for i in "${!lane_of[@]}"; do
    [ "${lane_beside[$i]}" = "$s" ] || continue
    echo "=== ${lane_of[$i]}: started in the background, beside $s"
    ( for b in ${lane_of[$i]}; do run_suite "$b" quiet; done ) &
    pids+=($!)
  done
  echo "=== $s"
  run_suite "$s" tee
  echo "=== $s: $(took "$s")"
done
for p in "${pids[@]}"; do wait "$p"; done
for i in "${!lane_of[@]}"; do
  for b in ${lane_of[$i]}; do
    echo "=== $b (ran in the background beside ${lane_beside[$i]})"
    cat "$LOGS/$b.log"
    echo "=== $b: $(took "$b")"
  done
done

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
