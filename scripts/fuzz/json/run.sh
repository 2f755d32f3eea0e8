#!/bin/sh
# Builds the runtime and scripts/fuzz/json/fuzz_json.c with clang's libFuzzer,
# ASan and UBSan, then fuzzes for SECONDS (default 60) from the seed corpus.
#   scripts/fuzz/json/run.sh [SECONDS]
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
OUT="$ROOT/build/fuzz-json"
SECS=${1:-60}
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g"
make -s -C "$ROOT/cruntime" OUT="$OUT/rt" CC=clang OPT=-O1 CFLAGS_EXTRA="$SAN -fsanitize=fuzzer-no-link" lib
clang -std=c11 -O1 $SAN -fsanitize=fuzzer -I"$ROOT/cruntime/include" "$HERE/fuzz_json.c" "$OUT/rt/libcolang.a" -luv -lm -o "$OUT/fuzz_json"
mkdir -p "$OUT/corpus"
cp "$HERE"/seeds/* "$OUT/corpus/" 2>/dev/null || true
ASAN_OPTIONS=detect_leaks=0 "$OUT/fuzz_json" -max_total_time="$SECS" -max_len=4096 "$OUT/corpus"
