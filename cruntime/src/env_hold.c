/* env_hold.c — the holds of async closure frames on an environment in global
 * memory (docs/memory.md, "Borrows (rule 3)", rule capture-frame's end).
 *
 * An async closure's frame reads its captures from the closure's environment,
 * as a sync closure's body does, so that a captured Vec, Map, Set or
 * StringBuilder stays the handle it is within the task. The frame runs across
 * awaits; an environment in global memory (the closure stored in a global, a
 * handler map's entry, a server's handler) may be dropped meanwhile, when
 * another task replaces or deletes that entry. So each frame of such an
 * environment holds it: the frame's constructor calls co_env_hold, and the
 * hold ends when the frame completes (its poll wrapper calls co_env_release)
 * or when the task that made it ends in any other way — panics, is
 * cancelled, or leaves the frame unfinished (a race's loser): the hold is an
 * op in that task's list, whose abandon releases it. co_env_drop of a held
 * environment only marks it; the last release drops it (through the drop
 * queue, like any drop).
 *
 * An environment in a task or block region needs no hold: a frame runs in
 * the task that made it and completes before that region ends (spawn and
 * the Task-starting calls copy the closure first, rule 4), and co_env_drop is
 * only called on global ones. Where an environment lives is a word of its
 * header (co_env_hdr in co_global.h), set by co_env_init where it is made or
 * cloned: CO_ENV_GLOBAL when co_current was global memory (a promotion
 * clones with co_global current), so co_env_hold of a region environment is
 * one inline test and takes nothing (rt18; stop 34 held every environment
 * alike, because telling a global block apart by the 32 bytes before the
 * pointer read bytes a region never wrote). A hold of a global one counts in
 * that header (`holds_`: no table to search) and its op comes from a free
 * list of ended holds (no malloc once warm). COLANG_NO_BORROW_COPY=1 turns
 * holds off (make prove-memory shows what they prevent). */
#define _POSIX_C_SOURCE 200809L
#include "task_internal.h"
#include "co_global.h"
#include <stdlib.h>

typedef struct co__hold { co__op op; co_env_hdr *env; struct co__hold *next_free; } co__hold;

/* Ended holds kept for the next ones (at most CACHE_MAX: the most frames in
 * flight at once beyond it go back to malloc). */
#define CACHE_MAX 4096
static co__hold *cache = NULL;
static int64_t ncache = 0;
static int64_t taken = 0, in_flight = 0;

bool co__env_drop_deferred(void *env) {
    co_env_hdr *h = env;
    if (h->holds_ == 0) return false;
    h->global_ = CO_ENV_DROPPED;
    return true;
}

/* The hold h ends: the last one of a dropped environment drops it. */
static void hold_end(co__hold *h) {
    co_env_hdr *env = h->env;
    in_flight--;
    if (ncache < CACHE_MAX) {
        h->next_free = cache;
        cache = h;
        ncache++;
    } else free(h);
    if (--env->holds_ > 0 || env->global_ != CO_ENV_DROPPED) return;
    env->global_ = CO_ENV_GLOBAL;
    co_env_drop(env);
}

static void hold_abandon(co__op *op) { hold_end((co__hold *)op); }

void *co__env_hold(void *env) {
    if (co_borrow_copy_off || !co_task_cur) return NULL;
    co__hold *h = cache;
    if (h) {
        cache = h->next_free;
        ncache--;
    } else if (!(h = malloc(sizeof *h))) co_oom();
    h->env = env;
    h->env->holds_++;
    taken++;
    in_flight++;
    co__op_attach(&h->op, hold_abandon);
    return h;
}

void co_env_release(void *hold) {
    if (!hold) return;
    co__hold *h = hold;
    co__op_detach(&h->op);
    hold_end(h);
}

co_env_hold_stats co_env_hold_get_stats(void) { return (co_env_hold_stats){ taken, in_flight }; }

void co__env_hold_free_cache(void) {
    while (cache) {
        co__hold *h = cache;
        cache = h->next_free;
        free(h);
    }
    ncache = 0;
}
