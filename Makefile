# Colang: the two commands a newcomer needs are `make hello` and `make test`.
# Every target that needs the compiler runs scripts/setup.sh first (system
# packages, npm ci, build); the test-* targets assume a built tree.

SHELL := bash
NODE ?= node
COC := $(NODE) bin/coc.js
JOBS ?= 2
FUZZ_COUNT ?= 20000
FUZZ_SEED ?= 1
FUZZ_LONG_COUNT ?= 200000
FUZZ_DIFF_COUNT ?= 20000
FUZZ_DIFF_SEED ?= 1
# The slice of the differential campaign that `make test` runs (scripts/fuzz/diff.ts):
# 200 programs in batches of 50 (one C file each), each batch built 3 of the 5 ways in turn.
FUZZ_DIFF_CI_COUNT ?= 200
FUZZ_DIFF_BATCH ?= 50
# libFuzzer targets (scripts/fuzz/run.sh): seconds per target in CI and in `make fuzz-http`.
FUZZ_HTTP_CI_SECONDS ?= 45
FUZZ_SECONDS ?= 600
LOGS := build/test-logs

# Suites run by `make test`, in this order. Each test-<suite> target prints a
# line `<suite>: N passed, N failed` last and exits non-zero on failure.
SUITES := unit cruntime programs programs-valgrind errors http http-san fuzz fuzz-diff fuzz-http alloc-fail pathological bench-smoke

.PHONY: all setup build hello test $(addprefix test-,$(SUITES)) test-programs-gcc test-programs-clang test-programs-asan fuzz-long fuzz-diff fuzz-http alloc-fail bench bench-compile bench-http bench-http-idle bench-http-instr soak-http clean soak pause prove-memory valgrind-escape

all: build

setup:
	@scripts/setup.sh

build:
	npm run build

hello: setup
	@scripts/hello.sh

# Runs every suite even when an earlier one fails, then prints the totals
# (scripts/run-suites.sh). The last line is exactly `N passed, N failed`.
# SKIP_SETUP=1 tests the tree as built. TEST_LANES: suites that mostly wait
# or use one core run in second lanes, one after another, beside a main-lane
# suite (`A,B@C`: A then B in the background once C starts; their logs are
# printed when done). TEST_LANES= runs every suite in order, one at a time.
TEST_LANES ?= http,http-san@fuzz alloc-fail,bench-smoke@unit
test:
	@mkdir -p $(LOGS) && rm -f $(LOGS)/*.log $(LOGS)/*.rc $(LOGS)/*.secs $(LOGS)/*.times
	@if [ -z "$(SKIP_SETUP)" ] && ! scripts/setup.sh; then echo "setup failed: nothing was tested"; echo "0 passed, 1 failed"; exit 1; fi
	@SUITES="$(SUITES)" LANES="$(TEST_LANES)" LOGS="$(LOGS)" MAKE="$(MAKE)" scripts/run-suites.sh

# uvu prints Total/Passed/Skipped; turn that into the common summary line.
test-unit:
	@out=$$(npx uvu dist/tests/unit 2>&1); rc=$$?; printf '%s\n' "$$out"; \
	plain=$$(printf '%s\n' "$$out" | sed 's/\x1b\[[0-9;]*m//g'); \
	total=$$(printf '%s\n' "$$plain" | awk '/Total:/ {print $$2}' | tail -n 1); \
	pass=$$(printf '%s\n' "$$plain" | awk '/Passed:/ {print $$2}' | tail -n 1); \
	skip=$$(printf '%s\n' "$$plain" | awk '/Skipped:/ {print $$2}' | tail -n 1); \
	total=$${total:-0}; pass=$${pass:-0}; skip=$${skip:-0}; fail=$$((total - pass - skip)); \
	if [ "$$rc" != 0 ] && [ "$$fail" = 0 ]; then fail=1; fi; \
	echo "unit: $$pass passed, $$fail failed"; \
	exit $$rc

# The runtime's Makefile runs its C tests in several configurations, each
# printing `N passed, N failed`; add them up. If it prints no such line, the
# whole suite counts as one test.
test-cruntime:
	@mkdir -p $(LOGS); $(MAKE) --no-print-directory -C cruntime test JOBS=$(JOBS) 2>&1 | tee $(LOGS)/.cruntime.out; rc=$${PIPESTATUS[0]}; \
	sed 's/\x1b\[[0-9;]*m//g' $(LOGS)/.cruntime.out | grep -Eo '[0-9]+ passed, [0-9]+ failed' \
	  | awk -v rc=$$rc '{ p += $$1; f += $$3; n++ } END { if (!n) { p = (rc == 0); f = (rc != 0) } else if (rc != 0 && f == 0) f = 1; printf "cruntime: %d passed, %d failed\n", p, f }'; \
	exit $$rc

# Every golden program built two ways: gcc, and clang with ASan + UBSan
# (LeakSanitizer on: run-programs.js sets ASAN_OPTIONS=detect_leaks=1). The front
# end runs once per program; each build is run and diffed. Prints a summary line
# per configuration, then `programs: N passed, N failed` (one test per program
# and configuration). test-programs-gcc / -clang / -asan run one configuration;
# plain clang is not in `make test` (docs/reliability.md, "CI time": the ASan
# build is clang -O2 -Wall -Werror too, and fuzz-diff compares clang -O2 with it).
test-programs:
	@$(NODE) dist/tests/run-programs.js --configs gcc,asan --prove --jobs $(JOBS)

test-programs-gcc:
	@$(NODE) dist/tests/run-programs.js --cc gcc --jobs $(JOBS)

test-programs-clang:
	@$(NODE) dist/tests/run-programs.js --cc clang --jobs $(JOBS)

# ASan + UBSan, with LeakSanitizer on (run-programs.js sets ASAN_OPTIONS=detect_leaks=1).
# Also the escape corpus (tests/memory/escape), and --prove: the memory corpora
# run again with promotion and with deferral off, printing the fraction ASan catches.
test-programs-asan:
	@$(NODE) dist/tests/run-programs.js --cc clang --sanitize --prove --jobs $(JOBS)

# The async programs (tests/programs/async_*.co) built with gcc and run under
# valgrind's memcheck: no errors and no definitely lost blocks at exit, and the
# same stdout/exit code as always. Installs valgrind when missing (as root).
test-programs-valgrind:
	@scripts/ensure-valgrind.sh || { echo "programs(gcc-valgrind): 0 passed, 1 failed"; exit 1; }
	@$(NODE) dist/tests/run-valgrind.js --jobs $(JOBS)

# The whole escape corpus under valgrind (CI runs its task_, timer_ and spawn_
# programs in test-programs-valgrind; the rest run under ASan there).
valgrind-escape:
	@scripts/ensure-valgrind.sh
	@$(NODE) dist/tests/run-valgrind.js --escape --jobs $(JOBS)

test-errors:
	@$(NODE) dist/tests/run-errors.js --jobs $(JOBS)

# HTTP servers on 127.0.0.1 driven by Node's http and net modules (tests/run-http.ts),
# built with gcc; HTTP_SANITIZE=1 builds them with clang ASan+UBSan instead.
test-http:
	@$(NODE) dist/tests/run-http.js $(if $(HTTP_SANITIZE),--cc clang --sanitize,--cc gcc)

# The same servers built with clang ASan+UBSan (leaks, use after free, undefined behaviour under real clients).
test-http-san:
	@$(NODE) dist/tests/run-http.js --cc clang --sanitize

test-fuzz:
	@$(NODE) dist/scripts/fuzz/fuzz.js --count $(FUZZ_COUNT) --seed $(FUZZ_SEED) --workers $(JOBS)

test-pathological:
	@$(NODE) dist/scripts/fuzz/pathological.js --jobs $(JOBS)

# Random programs (scripts/fuzz/gen-program.ts) built with gcc and clang at
# -O0 and -O2 and with clang ASan+UBSan: every build must print the same
# output and exit the same way. One summary line; the slice counts as 1 test.
test-fuzz-diff:
	@$(NODE) dist/scripts/fuzz/diff.js --count $(FUZZ_DIFF_CI_COUNT) --seed $(FUZZ_DIFF_SEED) --jobs $(JOBS) --batch $(FUZZ_DIFF_BATCH) --rotate 3

# The runtime's libFuzzer targets (HTTP parser, HTTP server over a socketpair,
# JSON decoder, the JSON codecs coc generates; clang ASan+UBSan),
# FUZZ_HTTP_CI_SECONDS of a core each: the four at once on the two cores for
# twice as long (--share): 45 s of a core each keeps the step's 90 s of wall
# time of three targets at 60 s. docs/reliability.md: CI time. One test per target.
test-fuzz-http:
	@scripts/fuzz/run-all.sh $(FUZZ_HTTP_CI_SECONDS) 2 --share

# The same, longer (FUZZ_SECONDS each, default 10 min); one target alone:
# scripts/fuzz/run.sh TARGET SECONDS (scripts/fuzz/README.md).
fuzz-http:
	@scripts/fuzz/run-all.sh $(FUZZ_SECONDS) $(JOBS)

fuzz-diff: setup
	$(NODE) dist/scripts/fuzz/diff.js --count $(FUZZ_DIFF_COUNT) --seed $(FUZZ_DIFF_SEED) --jobs $(JOBS) --batch $(FUZZ_DIFF_BATCH)

# Allocation-failure injection (scripts/alloc-fail.sh, cruntime/src/fault_alloc.c):
# the runtime's C tests and nine programs, each run with its Nth allocation
# failing, for up to ALLOC_FAIL_POINTS values of N; every run must end in a
# clean panic. The CI slice: two programs, 40 points each.
ALLOC_FAIL_POINTS ?= 400
alloc-fail: setup
	scripts/alloc-fail.sh --points=$(ALLOC_FAIL_POINTS)
	scripts/alloc-fail.sh --points=$(ALLOC_FAIL_POINTS) --san

test-alloc-fail:
	@scripts/alloc-fail.sh --quick

fuzz-long: setup
	$(NODE) dist/scripts/fuzz/fuzz.js --count $(FUZZ_LONG_COUNT) --seed random --workers $(JOBS)

bench-compile: setup
	$(NODE) dist/scripts/bench/compile-speed.js

# All benchmarks: compile speed, then the compute benchmarks (scripts/bench/run.ts:
# C, Colang, Node and Go versions of six programs, and the spawn-await event-loop
# benchmark with its memory per pending task; writes the "Compute benchmarks"
# section of docs/benchmarks.md), then the memory benchmarks (scripts/bench/memory.ts:
# binary-trees against an arena C, the promotion microbenchmark against Node and Go,
# k-nucleotide's peak memory; writes the "Memory benchmarks" section), then the HTTP benchmarks (bench-http, below:
# wrk against hello-http, the C server, Node and Go; the "HTTP benchmarks" section). ensure-go.sh installs Debian's
# golang-go when missing and root. RUNS=N changes the number of timed runs (default 5; 3 for HTTP).
bench: bench-compile
	@scripts/bench/ensure-go.sh
	$(NODE) dist/scripts/bench/run.js $(if $(RUNS),--runs $(RUNS))
	$(NODE) dist/scripts/bench/memory.js $(if $(RUNS),--runs $(RUNS))
	@$(MAKE) --no-print-directory bench-http

# HTTP benchmarks (scripts/bench/http/run.ts): wrk against Colang's hello-http,
# a hand-written C server on libuv (the ceiling), Node.js http and Go net/http,
# server and wrk pinned to separate cores; writes the "HTTP benchmarks" section
# of docs/benchmarks.md. Not part of `make test`. ensure-wrk.sh installs wrk
# (required) and ensure-go.sh Go when missing and root. RUNS=N (default 3).
bench-http: setup
	@scripts/bench/ensure-wrk.sh
	@scripts/bench/ensure-go.sh
	$(NODE) dist/scripts/bench/http/run.js $(if $(RUNS),--runs $(RUNS))

# RSS per idle keep-alive connection alone (10,000 connections; Colang and the C server).
bench-http-idle: setup
	$(NODE) dist/scripts/bench/http/idle.js

# Instructions per HTTP request (scripts/bench/http/instr.ts): the C server and
# hello-http under callgrind, a Node client on one connection; prints a table
# (docs/benchmarks.md, "Instructions per request"). Not part of `make test`.
bench-http-instr: setup
	@scripts/ensure-valgrind.sh
	$(NODE) dist/scripts/bench/http/instr.js

# The todo-api soak: 1,000,000 requests (wrk, a steady mix), RSS after
# warm-up flat within 5% (docs/benchmarks.md). Not part of `make test`.
soak-http: setup
	@scripts/bench/ensure-wrk.sh
	$(NODE) dist/scripts/bench/http/soak.js

# The compute benchmarks at small sizes, run once: fails only when the languages'
# outputs differ (a Colang version that does not compile yet is "pending").
.PHONY: bench-smoke
bench-smoke: setup test-bench-smoke

# In `make test`: every benchmark at small sizes in C, Colang, Node and Go must print the same output (never timed).
test-bench-smoke:
	@scripts/bench/ensure-go.sh
	$(NODE) dist/scripts/bench/run.js --smoke
	$(NODE) dist/scripts/bench/memory.js --smoke
	@# issue 9's soak at full size in CI (1,000,000 tasks, global bytes and RSS within 5%: ~1 s with gcc; audit11)
	@mkdir -p build && $(COC) build tests/programs/drop_soak.co -o build/drop_soak-ci && SOAK_TASKS=1000000 SOAK_VERBOSE=1 ./build/drop_soak-ci

# Global memory (docs/memory.md): the soak program with 1,000,000 tasks (the
# golden one runs 40,000), the pause test (a 1,000,000-entry global map
# replaced while a timer ticks every millisecond), and the proof that the
# memory corpora can fail: with promotion or deferral turned off, ASan must
# catch the programs (prints the fraction caught; tests/prove-memory.ts). CI
# gets the same proof from test-programs-asan --prove.
soak: setup
	@mkdir -p build
	$(COC) build tests/programs/drop_soak.co -o build/drop_soak
	SOAK_TASKS=1000000 SOAK_VERBOSE=1 ./build/drop_soak

pause: setup
	@mkdir -p build
	$(COC) build scripts/bench/pause/pause.co -o build/pause
	./build/pause

prove-memory: setup
	$(NODE) dist/tests/run-programs.js --cc clang --sanitize --memory --prove --jobs $(JOBS)

clean:
	rm -rf build dist
