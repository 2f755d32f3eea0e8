/* test_task_succ.c — co__task_succeed (the HTTP server's pipelined requests
 * taking over their predecessor's task): a root that sets a successor and
 * completes leaves its task to it, alive, with the region emptied (its one
 * small chunk kept, rewound); the successor is polled at once by the same
 * co__task_poll, up to CO__RERUN_MAX (16) in a row, before a task queued
 * meanwhile, then it goes through the queue; a root that is still waiting
 * when its poll returns, or that ends with an op pending, hands NULL to the
 * successor, which then makes a task of its own; one successor a poll. */
#define _POSIX_C_SOURCE 200809L
#include "t.h"
#include "../src/task_internal.h"

static int g_runs, g_null, g_same, g_last;
static co_task *g_first;
static void *g_chunk, *g_x1;
static bool g_chunk_kept, g_rewound;
static int g_order[64], g_norder;

static void succ(co_task *u, int64_t id, int64_t last);

/* A root made by a lazy start: allocates in its region, sets the successor
 * (id + 1) unless it is the last, completes. */
typedef struct T_step { co_fut hdr; int64_t id, last; } T_step;
static bool step_poll(void *p) {
    T_step *f = p;
    g_runs++;
    g_last = (int)f->id;
    if (g_norder < 64) g_order[g_norder++] = (int)f->id;
    if (f->id >= 100) return true;   /* the other task */
    char *x = co_alloc(16);
    memset(x, (int)f->id, 16);
    co_region *r = co_task_region(co_task_cur);
    if (f->id == 1) { g_chunk = r->small; g_x1 = x; }
    else {
        if (r->small != g_chunk) g_chunk_kept = false;
        if (x != g_x1) g_rewound = false;   /* the predecessor's bytes are gone */
    }
    if (f->id < f->last) {
        CHECK(co__task_succeed(co_task_cur, succ, f->id + 1, f->last));
        CHECK(!co__task_succeed(co_task_cur, succ, 99, 99));   /* one a poll */
    }
    return true;
}
static co_fut *make_step(void *env, int64_t packed) {
    (void)env;
    T_step *f = CO_NEW(T_step);
    f->hdr.poll = step_poll;
    f->id = packed >> 16;
    f->last = packed & 0xffff;
    return &f->hdr;
}

static void succ(co_task *u, int64_t id, int64_t last) {
    if (!u) { g_null++; u = co_task_new(); }
    else if (u == g_first) g_same++;
    CHECK(co__tasks_alive() >= 1);
    co__task_start_lazy(u, make_step, NULL, id << 16 | last);
}

/* A root that sets a successor and then waits once (a yield) before it
 * completes: the successor gets NULL at once, and both run. */
typedef struct T_wait { co_fut hdr; int k; } T_wait;
static bool wait_poll(void *p) {
    T_wait *f = p;
    if (f->k++ == 0) {
        CHECK(co__task_succeed(co_task_cur, succ, 1, 1));
        co__task_yield();
        return false;
    }
    g_runs += 100;
    return true;
}
static co_fut *make_wait(void *env, int64_t unused) {
    (void)env; (void)unused;
    T_wait *f = CO_NEW(T_wait);
    f->hdr.poll = wait_poll;
    f->k = 0;
    return &f->hdr;
}

static void abandon_nop(co__op *op) { (void)op; }
static co__op g_op;

/* A root that completes with an op still attached: not reused. */
static bool leave_op_poll(void *p) {
    (void)p;
    co__op_attach(&g_op, abandon_nop);
    CHECK(co__task_succeed(co_task_cur, succ, 1, 1));
    return true;
}
static co_fut *make_leave_op(void *env, int64_t unused) {
    (void)env; (void)unused;
    co_fut *f = CO_NEW(co_fut);
    f->poll = leave_op_poll;
    return f;
}

void test_task_succ(void) {
    /* a chain of 20 roots in one task, and another task queued after it */
    g_runs = g_null = g_same = g_last = 0;
    g_norder = 0;
    g_chunk_kept = g_rewound = true;
    g_first = co_task_new();
    co__task_start_lazy(g_first, make_step, NULL, (int64_t)1 << 16 | 20);
    co__task_start_lazy(co_task_new(), make_step, NULL, (int64_t)100 << 16 | 100);
    CHECK(co__loop_run_for_tests() == 0);
    CHECK(g_runs == 21 && g_last == 20);
    CHECK(g_same == 19 && g_null == 0);
    /* 1, its 16 successors at once, the other task, then the rest (queued) */
    CHECK(g_norder == 21);
    for (int i = 0; i < 17; i++) CHECK(g_order[i] == i + 1);
    CHECK(g_order[17] == 100);
    for (int i = 18; i < 21; i++) CHECK(g_order[i] == i);
#if !CO_ASAN
    CHECK(g_chunk_kept);
#endif
    CHECK(g_rewound);
    CHECK(co__tasks_alive() == 0);

    /* the root waits after setting its successor: NULL, a task of its own */
    g_runs = g_null = g_same = 0;
    g_first = co_task_new();
    co__task_start_lazy(g_first, make_wait, NULL, 0);
    CHECK(co__loop_run_for_tests() == 0);
    CHECK(g_null == 1 && g_same == 0 && g_runs == 101);
    CHECK(co__tasks_alive() == 0);

    /* an op left attached: the task ends (the op abandoned), NULL */
    g_runs = g_null = g_same = 0;
    g_first = co_task_new();
    co__task_start_lazy(g_first, make_leave_op, NULL, 0);
    CHECK(co__loop_run_for_tests() == 0);
    CHECK(g_null == 1 && g_same == 0 && g_runs == 1);
    CHECK(co__tasks_alive() == 0);
}
