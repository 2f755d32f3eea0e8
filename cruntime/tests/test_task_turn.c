/* test_task_turn.c — co__task_start_this_turn (the HTTP server's pipelined
 * requests): a chain of tasks, each starting the next from its poll, runs in
 * the drain's turn after the tasks already in it; a yielding task's second
 * poll comes on the next turn, after the chain. At most CO__THIS_TURN_MAX
 * such starts a turn: the next one waits for the next turn, as with
 * co_task_start, which is also what it is outside a drain. */
#define _POSIX_C_SOURCE 200809L
#include "t.h"
#include "../src/task_internal.h"

static int g_log[128], g_nlog, g_yes, g_no;
static void logv(int v) { if (g_nlog < 128) g_log[g_nlog++] = v; }

static bool log_is(const int *want, int n) {
    if (g_nlog != n) return false;
    for (int i = 0; i < n; i++) if (g_log[i] != want[i]) return false;
    return true;
}

static co_task *start(co_fut *(*make)(int, int), int a, int b, bool this_turn) {
    co_task *t = co_task_new();
    co_region *saved = co_current;
    co_current = co_task_region(t);
    co_fut *f = make(a, b);
    co_current = saved;
    if (!this_turn) co_task_start(t, f);
    else if (co__task_start_this_turn(t, f)) g_yes++;
    else g_no++;
    return t;
}

typedef struct T_chain { co_fut hdr; int id, last; } T_chain;
static co_fut *make_chain(int id, int last);
static bool chain_poll(void *p) {
    T_chain *f = p;
    logv(f->id);
    if (f->id < f->last) start(make_chain, f->id + 1, f->last, true);
    return true;
}
static co_fut *make_chain(int id, int last) {
    T_chain *f = CO_NEW(T_chain);
    f->hdr.poll = chain_poll;
    f->id = id;
    f->last = last;
    return &f->hdr;
}

/* Logs id*10 at its first poll, yields, logs id*10 + 1 at its second. */
typedef struct T_yielder { co_fut hdr; int id, k; } T_yielder;
static bool yielder_poll(void *p) {
    T_yielder *f = p;
    logv(f->id * 10 + f->k);
    if (f->k++ == 0) { co__task_yield(); return false; }
    return true;
}
static co_fut *make_yielder(int id, int unused) {
    (void)unused;
    T_yielder *f = CO_NEW(T_yielder);
    f->hdr.poll = yielder_poll;
    f->id = id;
    f->k = 0;
    return &f->hdr;
}

void test_task_turn(void) {
    static const int want[] = { 1, 90, 2, 3, 91 };
    g_nlog = g_yes = g_no = 0;
    start(make_chain, 1, 3, false);
    start(make_yielder, 9, 0, false);
    CHECK(co__loop_run_for_tests() == 0);
    CHECK(log_is(want, 5));
    CHECK(g_yes == 2 && g_no == 0);
    CHECK(co__tasks_alive() == 0);

    g_nlog = g_yes = g_no = 0;
    start(make_chain, 1, 70, false);
    CHECK(co__loop_run_for_tests() == 0);
    CHECK(g_nlog == 70);
    bool in_order = true;
    for (int i = 0; i < g_nlog; i++) if (g_log[i] != i + 1) in_order = false;
    CHECK(in_order);
    CHECK(g_yes == 68 && g_no == 1);   /* the 65th start of turn 1 waits for turn 2 */

    /* outside a drain: co_task_start (polled only by the loop) */
    g_nlog = g_yes = g_no = 0;
    start(make_chain, 1, 1, true);
    CHECK(g_no == 1 && g_nlog == 0);
    CHECK(co__loop_run_for_tests() == 0);
    CHECK(g_nlog == 1 && g_log[0] == 1);
    CHECK(co__tasks_alive() == 0);
}
