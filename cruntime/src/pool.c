/* libuv's resources under limits: the loop's descriptors (`ulimit -n`), the
 * thread pool under an address-space limit (`ulimit -v`), and thread-pool
 * requests of ended tasks.
 *
 * The thread pool under an address-space limit (`ulimit -v`).
 *
 * libuv runs file system requests and name lookups on a pool of threads
 * that it starts on the first such request, UV_THREADPOOL_SIZE of them
 * (4 by default), each with an 8 MiB stack. When a thread cannot be
 * started, libuv calls abort(): under `ulimit -v 30000` every program that
 * read a file ended with SIGABRT and no message (tester round 6).
 *
 * Before the first request that may start the pool, the runtime checks that
 * the stacks fit: it reserves (PROT_NONE, nothing is touched) the address
 * space the threads will need plus some room for the program itself, and
 * lets go of it again. With less room it asks libuv for fewer threads
 * (down to one); when not even one fits, the program ends as on any other
 * failed allocation, with `panic: out of memory` and a word on why. A
 * program without an address-space limit skips all of this. */
#define _GNU_SOURCE
#include "co_panic.h"
#include "task_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#define CO__POOL_STACK ((size_t)8 << 20)      /* libuv's stack size for its threads */
#define CO__POOL_GUARD ((size_t)64 << 10)     /* glibc's guard page and rounding, generously */
#define CO__POOL_ROOM ((size_t)4 << 20)       /* left for the program after the stacks */

static bool co__fits(size_t bytes) {
    void *p = mmap(NULL, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return false;
    munmap(p, bytes);
    return true;
}

/* How many threads libuv would start: UV_THREADPOOL_SIZE read as libuv reads it. */
static long co__pool_wanted(void) {
    const char *v = getenv("UV_THREADPOOL_SIZE");
    long n = v ? strtol(v, NULL, 10) : 4;
    if (n < 1) n = 1;
    if (n > 1024) n = 1024;
    return n;
}

static void co__pool_check(void) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) return;
    long n = co__pool_wanted();
    long k = n;
    while (k > 0 && !co__fits((size_t)k * (CO__POOL_STACK + CO__POOL_GUARD) + CO__POOL_ROOM)) k--;
    if (k == 0 && co__fits(CO__POOL_STACK + CO__POOL_GUARD)) k = 1;  /* one thread, no room to spare */
    if (k == 0)
        co__fatal("out of memory: the address-space limit (ulimit -v) leaves no room for the stack "
                  "of the thread that runs file and name-lookup requests (8 MiB)");
    if (k < n) {
        char buf[24];
        snprintf(buf, sizeof buf, "%ld", k);
        setenv("UV_THREADPOOL_SIZE", buf, 1);
    }
}

uv_loop_t *co__pool_loop(void) {
    static bool checked = false;
    if (CO_UNLIKELY(!checked)) {
        checked = true;
        co__pool_check();
    }
    return co__loop();
}

/* ---- the loop itself ---- */

/* uv_default_loop() is NULL when libuv could not set the loop up (no memory
 * or no file descriptor left): nothing can run then. */
static bool co__loop_probed = false;   /* co__loop() was called: the program uses the loop */
bool co__loop_started(void) { return co__loop_probed; }

uv_loop_t *co__loop(void) {
    if (CO_UNLIKELY(!co__loop_probed)) {
        /* libuv's first loop needs six descriptors (epoll; the process-wide
         * signal pipe; the loop's own signal pipe, for its child watcher; the
         * thread pool's eventfd), and where the process-wide signal pipe cannot
         * be made it aborts inside a one-time initialiser that cannot report it
         * (`ulimit -n 5`: SIGABRT, no message; tester round 6). Three pipes
         * first: without six free descriptors the program stops with the
         * message instead (it opened two, and `ulimit -n 8` passed the check
         * and then failed in uv_loop_init: tester round 9). */
        co__loop_probed = true;
        int p[3][2], n = 0;
        while (n < 3 && pipe(p[n]) == 0) n++;
        for (int i = 0; i < n; i++) { close(p[i][0]); close(p[i][1]); }
        if (n < 3) co__fatal("cannot start the event loop (out of memory or file descriptors)");
    }
    uv_loop_t *l = uv_default_loop();
    if (CO_UNLIKELY(!l)) co__fatal("cannot start the event loop (out of memory or file descriptors)");
    return l;
}

/* ---- requests of ended tasks ----
 *
 * A thread-pool request cannot be taken back once a thread runs it
 * (uv_cancel: EBUSY), and a read of a FIFO nobody opens for writing, or of a
 * terminal, may never return, nor may a name lookup whose resolver never
 * answers (counted by net_dial.c). An ended task's request keeps the loop alive
 * (libuv counts it as active), so a program whose main had ended would never
 * exit (tester round 9: `time.timeout(2000, fs.readFile(fifo))`). The loop
 * stops instead when such requests are all that is left, and the process
 * exits without waiting for their threads (co_rt_finish: _exit, as Go does). */
int64_t co__orphan_reqs = 0;

bool co__loop_idle_but_orphans(uv_loop_t *loop) {
    /* active_handles counts the referenced active handles; active_reqs every
     * request in flight (both public fields of uv_loop_t) */
    return co__orphan_reqs > 0 && loop->active_handles == 0 &&
           (int64_t)loop->active_reqs.count <= co__orphan_reqs;
}
