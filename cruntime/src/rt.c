/* rt.c — process start and end, and the `coc test` runner. The start time
 * comes from uv_hrtime(); the event loop itself lives in task.c and
 * task_loop.c (running it, the exit paths). */
#define _POSIX_C_SOURCE 200809L
#include "colang.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

extern int64_t co__orphan_reqs;   /* pool.c */

static int co__argc = 0;
static char **co__argv = NULL;
static uint64_t co__start_ns = 0;

co_region *co_global = NULL;

/* os.exit() and friends deliver buffered output; a failed write still fails an exit with 0. */
static void co__atexit_flush(void) {
    int code = co_out_finish(0);
    if (code != 0) _exit(code);
}

/* A daemon or supervisor may start the program with stdin, stdout or stderr
 * closed. The next open() would then reuse fd 0-2 (libuv's epoll or eventfd,
 * which it refuses to close: SIGABRT at exit), and a later println would write
 * into a file the program opened. Opening /dev/null fills each hole first. */
static void co__fill_std_fds(void) {
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
        int got = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
        if (got >= 0 && got != fd) { dup2(got, fd); close(got); }
    }
}

/* libuv allocates through these in every build: a failed allocation inside
 * libuv ends the process with `panic: out of memory` (co_oom), as one of the
 * runtime's own does, instead of reaching libuv. libuv would return
 * UV_ENOMEM from most calls, but where it cannot report one (growing its
 * array of watched descriptors) it calls abort(). libuv never asks for 0
 * bytes here (uv__realloc frees for 0 itself). co__uv_allocating marks the
 * allocation as libuv's for the fault-injection build's announcement. */
__thread bool co__uv_allocating = false;
static void *co__uv_malloc(size_t n) {
    co__uv_allocating = true;
    void *p = malloc(n);
    co__uv_allocating = false;
    if (!p) co_oom();
    return p;
}
static void *co__uv_realloc(void *q, size_t n) {
    co__uv_allocating = true;
    void *p = realloc(q, n);
    co__uv_allocating = false;
    if (!p) co_oom();
    return p;
}
static void *co__uv_calloc(size_t c, size_t n) {
    co__uv_allocating = true;
    void *p = calloc(c, n);
    co__uv_allocating = false;
    if (!p) co_oom();
    return p;
}

void co_rt_init(int argc, char **argv) {
    uv_replace_allocator(co__uv_malloc, co__uv_realloc, co__uv_calloc, free);   /* before libuv's first allocation */
    co__fill_std_fds();
    co__stack_guard_init();
    co__argc = argc;
    co__argv = argv;
    co__start_ns = uv_hrtime();
    co__hash_init();            /* random hash seed (COLANG_HASH_SEED=N fixes it) */
    signal(SIGPIPE, SIG_IGN);   /* a closed pipe or socket is an error return, not death */
    atexit(co__atexit_flush);   /* os.exit() and friends still deliver buffered output */
    co__global_init();          /* COLANG_NO_DEFER, COLANG_NO_PROMOTE, COLANG_DROP_BUDGET_US */
    co_global = co__region_new_empty();   /* global memory: no chunks, one malloc block per allocation (global.c) */
    /* The global initialisers run in a region of their own, kept to the end:
     * each global's value is promoted into global memory from there, so the
     * global tree owns every block in it and nothing is shared. */
    co_current = co_region_new();
}

int co_rt_argc(void) { return co__argc; }
char **co_rt_argv(void) { return co__argv; }
uint64_t co_rt_start_ns(void) { return co__start_ns; }

int co_rt_finish(int code) {
    code = co_out_finish(code);
    co__drop_drain();
    const char *st = getenv("COLANG_STATS");
    if (st && strcmp(st, "1") == 0) {
        co_region_stats s = co_region_global_stats();
        co_global_stats g = co_global_get_stats();
        double ms = (double)(uv_hrtime() - co__start_ns) / 1e6;
        fprintf(stderr,
                "colang stats: bytes_in_use=%lld peak_bytes=%lld chunks_in_use=%lld "
                "chunks_cached=%lld regions_alive=%lld tasks_alive=%lld global_bytes=%lld global_blocks=%lld "
                "max_drop_flush_us=%.1f max_drop_flush_cpu_us=%.1f elapsed_ms=%.3f\n",
                (long long)s.bytes_in_use, (long long)s.peak_bytes, (long long)s.chunks_in_use,
                (long long)s.chunks_cached, (long long)s.regions_alive,
                (long long)co_std_runtime_stat(0), (long long)g.bytes, (long long)g.blocks,
                (double)g.max_flush_ns / 1e3, (double)g.max_flush_cpu_ns / 1e3, ms);
    }
    if (co__orphan_reqs > 0) {
        /* a thread-pool thread of an ended task's request may be blocked for
         * good (pool.c); exit() would join it in libuv's destructor */
        fflush(NULL);
        _exit(code);
    }
    return code;
}

/* ---- test runner ---- */
static int64_t co__tests_passed = 0, co__tests_failed = 0;
bool co__testing = false;

static void co__call_test(void *arg) { (*(void (**)(void))arg)(); }

bool co_test_run(const char *name, void (*fn)(void)) {
    co__testing = true;
    co_print(CO_STR_LIT("test "));
    co_print((co_str){ name, (int64_t)strlen(name) });
    co_print(CO_STR_LIT(" ... "));
    co_flush();   /* the name is visible before the test's own output or a hang */

    co_region *saved = co_current;
    co_region *r = co_region_new();
    co_current = r;
    bool ok = co_try(co__call_test, (void *)&fn);
    co_current = saved;
    const char *line;
    ok = co__test_sync_loop(ok, &line);
    co_region_free(r);
    co_test_record(ok, line);
    return ok;
}

void co_test_record(bool ok, const char *panic_line) {
    if (ok) {
        co__tests_passed++;
        co_println(CO_STR_LIT("ok"));
    } else {
        co__tests_failed++;
        co_println(CO_STR_LIT("FAILED"));
        co_print(CO_STR_LIT("  "));
        co_println((co_str){ panic_line, (int64_t)strlen(panic_line) });
    }
    co_flush();
}

int co_test_summary(void) {
    char buf[96];
    int n = snprintf(buf, sizeof buf, "%lld passed, %lld failed",
                     (long long)co__tests_passed, (long long)co__tests_failed);
    co_println((co_str){ buf, n });
    co_flush();
    return co__tests_failed ? 1 : 0;
}
