/* env_hold.c — the holds of async closure frames on an environment in global
 * memory (docs/memory.md, "Borrows (rule 3)", rule capture-frame's end).
 *
 * An async closure's frame reads its captures from the closure's environment,
 * as a sync closure's body does, so that a captured Vec, Map, Set or
 * StringBuilder stays the handle it is within the task. The frame runs across
 * awaits; an environment in global memory (the closure stored in a global, a
 * handler map's entry) may be dropped meanwhile, when another task replaces
 * or deletes that entry. So each frame of such an environment holds it: the
 * frame's constructor calls co_env_hold, and the hold ends when the frame
 * completes (its poll wrapper calls co_env_release) or when the task that
 * made it ends in any other way — panics, is cancelled, or leaves the frame
 * unfinished (a race's loser): the hold is an op in that task's list, whose
 * abandon releases it. co_env_drop of a held environment only marks it; the
 * last release drops it (through the drop queue, like any drop).
 *
 * An environment in a task or block region would need no hold (a frame runs
 * in the task that made it and completes before that region ends; spawn and
 * the Task-starting calls copy the closure first, rule 4), but every
 * environment is held alike: telling a global block from region memory reads
 * the 32 bytes before the pointer (co__gblock_kind), which in a region may
 * never have been written, and valgrind reports the branch on them (CI,
 * stop 34: async_value_closure_loop). A hold of a region environment is
 * harmless: it is released with its frame, and co_env_drop is only called
 * on global ones. The holds are kept in
 * a small table keyed by the environment (one entry per environment with a
 * frame in flight, not per frame). COLANG_NO_BORROW_COPY=1 turns holds off
 * (make prove-memory shows what they prevent). */
#define _POSIX_C_SOURCE 200809L
#include "task_internal.h"
#include "co_global.h"
#include <stdlib.h>

typedef struct { void *env; int64_t n; bool dropped; } co__held_env;
typedef struct co__env_hold { co__op op; void *env; } co__env_hold;

static co__held_env *held = NULL;
static int64_t nheld = 0, capheld = 0;

static int64_t held_find(const void *env) {
    for (int64_t i = nheld - 1; i >= 0; i--)
        if (held[i].env == env) return i;
    return -1;
}

bool co__env_drop_deferred(void *env) {
    int64_t i = held_find(env);
    if (i < 0) return false;
    held[i].dropped = true;
    return true;
}

/* The hold ends: the last one of a dropped environment drops it. */
static void env_unhold(void *env) {
    int64_t i = held_find(env);
    if (i < 0) return;
    if (--held[i].n > 0) return;
    bool dropped = held[i].dropped;
    held[i] = held[--nheld];
    if (dropped) co_env_drop(env);
}

static void hold_abandon(co__op *op) {
    co__env_hold *h = (co__env_hold *)op;
    void *env = h->env;
    free(h);
    env_unhold(env);
}

void *co_env_hold(void *env) {
    if (!env || co_borrow_copy_off || !co_task_cur) return NULL;
    int64_t i = held_find(env);
    if (i < 0) {
        if (nheld == capheld) {
            int64_t cap = capheld ? capheld * 2 : 8;
            co__held_env *n = realloc(held, (size_t)cap * sizeof *n);
            if (!n) co_oom();
            held = n;
            capheld = cap;
        }
        i = nheld++;
        held[i] = (co__held_env){ env, 0, false };
    }
    co__env_hold *h = malloc(sizeof *h);
    if (!h) co_oom();
    h->env = env;
    held[i].n++;
    co__op_attach(&h->op, hold_abandon);
    return h;
}

void co_env_release(void *hold) {
    if (!hold) return;
    co__env_hold *h = hold;
    co__op_detach(&h->op);
    void *env = h->env;
    free(h);
    env_unhold(env);
}
