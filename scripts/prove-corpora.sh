#!/usr/bin/env bash
# Proof that the memory corpora can fail (issue 9, docs/memory.md): with the
# rules turned off, AddressSanitizer must catch the programs.
#   COLANG_NO_PROMOTE=1  stores into older memory do not copy: run over the
#                        promotion corpus (tests/memory/promotion) and the
#                        global-memory programs (tests/programs/drop_*)
#   COLANG_NO_DEFER=1    replaced global values are freed at once, in the
#                        middle of the turn: run over the programs that use a
#                        value after replacing it in the same turn
#                        (tests/programs/drop_*borrow*)
# A program counts as caught when ASan reports an error; a program whose
# output differs from its golden .out without an ASan report is counted
# apart (a shared value changed where a copy should not have: aliasing that
# is not a memory error in a program whose regions all stay alive). Prints
# each result and the fractions per switch; exits 0 (the fraction is the
# result).
#   scripts/prove-corpora.sh [--cc clang|gcc]
set -u
cd "$(dirname "$0")/.."
CC=clang
[ "${1:-}" = "--cc" ] && CC="${2:-clang}"
OUT=build/prove
mkdir -p "$OUT"
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=0"
export UBSAN_OPTIONS="print_stacktrace=0"

prove() {   # prove NAME ENVVAR FILES...
  local label=$1 var=$2; shift 2
  local n=0 caught=0 wrong=0
  for src in "$@"; do
    local name exe
    name=$(basename "$src" .co)
    exe="$OUT/$name"
    if ! node bin/coc.js build "$src" -o "$exe" --cc "$CC" --sanitize >/dev/null 2>"$OUT/$name.build"; then
      echo "  $name: does not compile (skipped)"; continue
    fi
    n=$((n + 1))
    local err
    err=$(cd "$(dirname "$src")" && env "$var=1" timeout 60 "$OLDPWD/$exe" </dev/null 2>&1 >"$OLDPWD/$OUT/$name.stdout")
    if printf '%s' "$err" | grep -q "ERROR: AddressSanitizer"; then
      caught=$((caught + 1)); echo "  $name: caught ($(printf '%s' "$err" | grep -m1 -o 'AddressSanitizer: [a-z-]*'))"
    elif ! cmp -s "$OUT/$name.stdout" "${src%.co}.out"; then
      wrong=$((wrong + 1)); echo "  $name: not caught by ASan, wrong output"
    else
      echo "  $name: not caught"
    fi
  done
  echo "$label: $caught of $n caught by ASan; $((caught + wrong)) of $n caught or wrong"
}

echo "promotion off (COLANG_NO_PROMOTE=1):"
prove "promotion off" COLANG_NO_PROMOTE tests/memory/promotion/*.co tests/programs/drop_*.co
echo "deferral off (COLANG_NO_DEFER=1):"
prove "deferral off" COLANG_NO_DEFER tests/programs/drop_*borrow*.co
