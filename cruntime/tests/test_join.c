/* test_join.c — task handles (task_join.c): a joinable task keeps its result
 * until joined and released, cancel stops a sleeping task at once (its timer
 * dropped, the loop free to end), a stale handle panics when joined, and
 * join_any keeps the first to end. Futures are written by hand, laid out as
 * the compiler lays out frames (co_fut, then the result). */
#define _POSIX_C_SOURCE 200809L
#include "t.h"
#include "../src/task_internal.h"

/* Sleeps ms, then completes with result = ms * 2. */
typedef struct T_prod { co_fut hdr; int64_t result; int64_t ms; co_std_time_sleep_fut *s; } T_prod;

static bool prod_poll(void *p) {
    T_prod *f = p;
    if (!f->s) f->s = co_std_time_sleep_new(f->ms);
    if (!co_std_time_sleep_poll(f->s)) return false;
    f->result = f->ms * 2;
    return true;
}

static co_handle spawn_prod(int64_t ms) {
    co_task *t = co_task_new();
    co_region *saved = co_current;
    co_current = co_task_region(t);
    T_prod *f = CO_NEW(T_prod);
    memset(f, 0, sizeof *f);
    f->hdr.poll = prod_poll;
    f->ms = ms;
    co_current = saved;
    co_handle h = co_task_handle(t);
    co_task_start(t, &f->hdr);
    return h;
}

/* Joins one handle (or the first of two, with any = true), records the result, releases. */
typedef struct T_cons { co_fut hdr; co_handle h[2]; bool any; } T_cons;
static int64_t g_got = -1, g_which = -1;
static bool g_stale_done = false;

static bool cons_poll(void *p) {
    T_cons *f = p;
    if (f->any) {
        int64_t i = co_task_join_any(f->h, 2, "t", 1, 1);
        if (i < 0) return false;
        g_which = i;
        g_got = ((T_prod *)co_task_result(f->h[i]))->result;
        co_task_release(f->h[0]);
        co_task_release(f->h[1]);
        return true;
    }
    if (!co_task_join(f->h[0], "t", 1, 1)) return false;
    g_got = ((T_prod *)co_task_result(f->h[0]))->result;
    co_task_release(f->h[0]);
    g_stale_done = co_task_done(f->h[0]) && co_task_result(f->h[0]) == NULL;
    return true;
}

static void spawn_cons(co_handle a, co_handle b, bool any) {
    co_task *t = co_task_new();
    co_region *saved = co_current;
    co_current = co_task_region(t);
    T_cons *f = CO_NEW(T_cons);
    f->hdr.poll = cons_poll;
    f->h[0] = a;
    f->h[1] = b;
    f->any = any;
    co_current = saved;
    co_task_start(t, &f->hdr);
}

/* Sleeps 1 ms (so its victim is asleep), then cancels it. */
typedef struct T_kill { co_fut hdr; co_handle h; co_std_time_sleep_fut *s; } T_kill;
static bool kill_poll(void *p) {
    T_kill *f = p;
    if (!f->s) f->s = co_std_time_sleep_new(1);
    if (!co_std_time_sleep_poll(f->s)) return false;
    co_task_cancel(f->h);
    return true;
}

static void spawn_canceller(co_handle h) {
    co_task *t = co_task_new();
    co_region *saved = co_current;
    co_current = co_task_region(t);
    T_kill *f = CO_NEW(T_kill);
    f->hdr.poll = kill_poll;
    f->h = h;
    f->s = NULL;
    co_current = saved;
    co_task_start(t, &f->hdr);
}

/* Joins h without panicking (co_task_join_try): g_try gets how it ended. */
typedef struct T_try { co_fut hdr; co_handle h; } T_try;
static int g_try = -9;
static bool try_poll(void *p) {
    T_try *f = p;
    int r = co_task_join_try(f->h);
    if (r < 0) return false;
    g_try = r;
    co_task_release(f->h);
    return true;
}

static void spawn_try(co_handle h) {
    co_task *t = co_task_new();
    co_region *saved = co_current;
    co_current = co_task_region(t);
    T_try *f = CO_NEW(T_try);
    f->hdr.poll = try_poll;
    f->h = h;
    co_current = saved;
    co_task_start(t, &f->hdr);
}

/* Waits 1 ms for h (h.wait(1)), then cancels it: g_waited is the wait's
 * result, g_stale whether the handle was stale at once (no task waits). */
typedef struct T_waitkill { co_fut hdr; co_handle h; co_task_wait_fut *w; } T_waitkill;
static bool g_waited = true, g_stale = false;
static bool waitkill_poll(void *p) {
    T_waitkill *f = p;
    if (!f->w) f->w = co_task_wait_new(f->h, 1);
    if (!co_task_wait_poll(f->w)) return false;
    g_waited = f->w->result;
    co_task_cancel(f->h);
    g_stale = f->h.t->gen != f->h.gen;
    return true;
}

static void spawn_waitkill(co_handle h) {
    co_task *t = co_task_new();
    co_region *saved = co_current;
    co_current = co_task_region(t);
    T_waitkill *f = CO_NEW(T_waitkill);
    f->hdr.poll = waitkill_poll;
    f->h = h;
    f->w = NULL;
    co_current = saved;
    co_task_start(t, &f->hdr);
}

static bool at_baseline(co_region_stats base) {
    co_region_stats s = co_region_global_stats();
    return s.regions_alive == base.regions_alive && s.chunks_in_use == base.chunks_in_use && co__tasks_alive() == 0;
}

void test_join(void) {
    co_region_stats base = co_region_global_stats();

    /* a consumer joins a producer: the result survives the producer's end */
    co_handle p = spawn_prod(2);
    spawn_cons(p, p, false);
    CHECK(!co_task_done(p));
    CHECK(co__loop_run_for_tests() == 0);
    CHECK(g_got == 4);
    CHECK(g_stale_done);   /* released: the handle is stale, reported as done */
    CHECK(at_baseline(base));
    /* (the loop's teardown frees the task structs: no handle of a finished
     * run may be used after it, so each case below runs in one loop) */

    /* a completed task nobody joins is freed by the teardown */
    (void)spawn_prod(0);
    CHECK(co__loop_run_for_tests() == 0);
    CHECK(at_baseline(base));

    /* cancel: a task sleeping for a minute, cancelled by another task once
     * it sleeps, ends at once (its timer dropped), and the loop with it */
    co_handle slow = spawn_prod(60000);
    CHECK(!co_task_done(slow));
    spawn_canceller(slow);
    uint64_t t0 = uv_hrtime();
    CHECK(co__loop_run_for_tests() == 0);
    CHECK(uv_hrtime() - t0 < 30000000000ull);
    CHECK(at_baseline(base));

    /* a queued task cancelled before it ever ran */
    co_handle never = spawn_prod(60000);
    co_task_cancel(never);
    co_task_cancel(never);   /* twice: nothing */
    CHECK(co__loop_run_for_tests() == 0);
    CHECK(at_baseline(base));

    /* join_any: the first to end wins, the other is cancelled */
    g_got = g_which = -1;
    co_handle a = spawn_prod(60000), b = spawn_prod(1);
    spawn_cons(a, b, true);
    t0 = uv_hrtime();
    CHECK(co__loop_run_for_tests() == 0);
    CHECK(uv_hrtime() - t0 < 30000000000ull);
    CHECK(g_which == 1 && g_got == 2);
    CHECK(at_baseline(base));

    /* a task awaiting a handle that another task cancels learns that it was
     * cancelled (the cancelled task stays a zombie until it joins), rather
     * than finding a stale handle (tester round 11) */
    g_try = -9;
    co_handle job = spawn_prod(60000);
    spawn_try(job);
    spawn_canceller(job);
    CHECK(co__loop_run_for_tests() == 0);
    CHECK(g_try == 2);
    CHECK(at_baseline(base));

    /* and a completed one gives 0 */
    g_try = -9;
    job = spawn_prod(1);
    spawn_try(job);
    CHECK(co__loop_run_for_tests() == 0);
    CHECK(g_try == 0);
    CHECK(at_baseline(base));

    /* h.wait(ms) that timed out no longer waits: cancelling then releases
     * the handle at once (no zombie left for a waiter that is gone) */
    job = spawn_prod(60000);
    spawn_waitkill(job);
    CHECK(co__loop_run_for_tests() == 0);
    CHECK(!g_waited && g_stale);
    CHECK(at_baseline(base));
}
