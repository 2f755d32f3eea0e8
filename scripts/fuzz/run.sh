#!/bin/sh
# libFuzzer targets for the C runtime (clang 14, ASan + UBSan):
#   http-parse    scripts/fuzz/http/fuzz_http_parse.c   the HTTP request parser
#   http-server   scripts/fuzz/http/fuzz_http_server.c  a whole in-process server fed over a socketpair
#   json          scripts/fuzz/json/fuzz_json.c         std/json's decoder and string codec
#   json-gen      scripts/fuzz/json-gen/fuzz_json_gen.c the codecs coc generates (json-gen/types.co's C)
#
#   scripts/fuzz/run.sh TARGET [SECONDS] [libFuzzer flags...]   fuzz TARGET for SECONDS (default 60)
#   scripts/fuzz/run.sh --build [TARGET...]                      only build (all targets by default)
#
# The runtime is built once into build/fuzz/rt; each target fuzzes from a
# working copy of its checked-in corpus (build/fuzz/TARGET/corpus, so new
# inputs do not land in the tree) and writes a crashing input to
# build/fuzz/TARGET/crash-*. A finding's input belongs in the checked-in
# corpus once fixed (see scripts/fuzz/README.md). Exit status: libFuzzer's
# (0: nothing found).
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT="$ROOT/build/fuzz"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g"
ALL="http-parse http-server json json-gen"

src_of() {
    case "$1" in
    http-parse) echo "$HERE/http/fuzz_http_parse.c" ;;
    http-server) echo "$HERE/http/fuzz_http_server.c" ;;
    json) echo "$HERE/json/fuzz_json.c" ;;
    json-gen) echo "$HERE/json-gen/fuzz_json_gen.c" ;;
    *) echo "run.sh: unknown target $1 (one of: $ALL)" >&2; exit 2 ;;
    esac
}
corpus_of() {
    case "$1" in
    http-parse) echo "$HERE/http/corpus/parse" ;;
    http-server) echo "$HERE/http/corpus/server" ;;
    json) echo "$HERE/json/seeds" ;;
    json-gen) echo "$HERE/json-gen/seeds" ;;
    esac
}

build() {
    src=$(src_of "$1")
    make -s -j2 -C "$ROOT/cruntime" OUT="$OUT/rt" CC=clang OPT=-O1 CFLAGS_EXTRA="$SAN -fsanitize=fuzzer-no-link" lib
    mkdir -p "$OUT/$1"
    gen=
    if [ "$1" = json-gen ]; then
        # the C that coc (dist/, built) generates for types.co, rewritten only when it changed
        node "$ROOT/bin/coc.js" dump --stage c "$HERE/json-gen/types.co" > "$OUT/$1/gen.c.new"
        cmp -s "$OUT/$1/gen.c.new" "$OUT/$1/gen.c" 2>/dev/null && rm "$OUT/$1/gen.c.new" || mv "$OUT/$1/gen.c.new" "$OUT/$1/gen.c"
        gen="-DCO_GEN_C=\"$OUT/$1/gen.c\""
    fi
    if [ ! -x "$OUT/$1/fuzz" ] || [ "$src" -nt "$OUT/$1/fuzz" ] || [ "$OUT/rt/libcolang.a" -nt "$OUT/$1/fuzz" ] ||
       { [ -n "$gen" ] && [ "$OUT/$1/gen.c" -nt "$OUT/$1/fuzz" ]; }; then
        clang -std=c11 -O1 $SAN -fsanitize=fuzzer -I"$ROOT/cruntime/include" -I"$ROOT/cruntime/src" $gen \
            "$src" "$OUT/rt/libcolang.a" -luv -lm -o "$OUT/$1/fuzz"
    fi
}

if [ "$1" = "--build" ]; then
    shift
    for t in ${*:-$ALL}; do build "$t"; done
    exit 0
fi
[ -n "$1" ] || { echo "usage: scripts/fuzz/run.sh TARGET [SECONDS] [libFuzzer flags...]  (TARGET: $ALL)" >&2; exit 2; }
T=$1
SECS=${2:-60}
[ $# -ge 2 ] && shift 2 || shift $#
build "$T"
rm -rf "$OUT/$T/corpus" && mkdir -p "$OUT/$T/corpus"
cp "$(corpus_of "$T")"/* "$OUT/$T/corpus/" 2>/dev/null || true
# Leaks are checked in the HTTP targets (their pools stay reachable); the
# JSON targets allocate in a region they free as a whole.
LEAKS=1
[ "$T" = json ] || [ "$T" = json-gen ] && LEAKS=0
cd "$OUT/$T"
ASAN_OPTIONS="detect_leaks=$LEAKS:quarantine_size_mb=64" UBSAN_OPTIONS=print_stacktrace=1 \
    ./fuzz -max_total_time="$SECS" -max_len=4096 -timeout=20 -rss_limit_mb=2048 \
    -artifact_prefix="$OUT/$T/" -print_final_stats=1 "$@" corpus
