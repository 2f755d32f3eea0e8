/* libuv's thread pool under an address-space limit (`ulimit -v`).
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

/* ---- requests of ended tasks ----
 *
 * A thread-pool request cannot be taken back once a thread runs it
 * (uv_cancel: EBUSY), and a read of a FIFO nobody opens for writing, or of a
 * terminal, may never return. An ended task's request keeps the loop alive
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
