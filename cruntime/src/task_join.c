/* task_join.c — task handles: await h, h.cancel(), h.wait(ms), race.
 *
 * A handle is (task, generation). A joinable task that ends becomes a zombie:
 * off the ready queue and the pool, it keeps its state, and its region when
 * it completed (the root frame there holds the result), until the handle is
 * released by the await that copies the result out (or by race, for the
 * losers). Tasks awaiting a handle register as its waiters and are queued
 * when it ends (FIFO on a later turn: never polled from inside another
 * task's poll). Zombies whose handle is never awaited stay until the loop
 * ends; the teardown frees them. */
#define _POSIX_C_SOURCE 200809L
#include "task_internal.h"
#include <stdlib.h>

#define CO__DONE ((void *)(uintptr_t)2)

static co_task *co__zombies = NULL;
static int64_t co__nzombies = 0;   /* runtime.stats().tasksKept */

int64_t co__join_kept(void) { return co__nzombies; }

static CO_COLD _Noreturn void co__join_oom(void) { co_oom(); }

/* The task of a handle that is not stale: running, or ended and not released. */
static co_task *co__live(co_handle h) {
    co_task *t = h.t;
    return t && t->gen == h.gen && (t->alive || t->zombie) ? t : NULL;
}

co_handle co_task_handle(co_task *t) {
    t->joinable = true;
    return (co_handle){ t, t->gen };
}

/* ---- implicit tasks belong to their starter ---- */

typedef struct co__own_op { co__op base; co_task *owner; co_task *child; uint32_t cgen; } co__own_op;

static void co__remove_waiter(co_task *t, co_task *w);

/* The ops are pooled (linked through base.next): a starter that awaits one
 * implicit task after another (`let t: Task<int> = f(i); total += await t`
 * in a loop) took a malloc and a free for each; pooled, such an iteration
 * costs 2,053 instructions instead of 2,177 (callgrind, 200,000 of them). */
#define OWN_POOL_MAX 64
static co__own_op *co__own_pool = NULL;
static int co__own_npool = 0;

static co__own_op *co__own_take(void) {
    co__own_op *op = co__own_pool;
    if (op) { co__own_pool = (co__own_op *)op->base.next; co__own_npool--; return op; }
    if (!(op = malloc(sizeof *op))) co__join_oom();
    return op;
}

static void co__own_give(co__own_op *op) {
    if (co__own_npool >= OWN_POOL_MAX) { free(op); return; }
    op->base.next = (co__op *)co__own_pool;
    co__own_pool = op;
    co__own_npool++;
}

/* The starter ended (co__task_end, which set its `ending`): a cancelled or panicking
 * one takes its implicit task with it; one that completed leaves it running
 * (its handle may have been handed on: `return f()` as a `Task<T>`). */
static void co__own_abandon(co__op *base) {
    co__own_op *op = (co__own_op *)base;
    co_task *c = op->child;
    bool with = op->owner->ending == CO__T_CANCELLED || op->owner->ending == CO__T_PANICKED;
    if (c->gen == op->cgen && c->owner_op == op) {
        c->owner_op = NULL;
        if (with && (c->alive || c->zombie)) {
            co__remove_waiter(c, op->owner);   /* the starter is ending: nothing to wake */
            co_task_release((co_handle){ c, op->cgen });
        }
    }
    co__own_give(op);
}

co_handle co_task_own(co_handle h) {
    co_task *t = co__live(h);
    if (!t || !co_task_cur || t->owner_op) return h;
    co__own_op *op = co__own_take();
    co__op_attach(&op->base, co__own_abandon);
    op->owner = co_task_cur;
    op->child = t;
    op->cgen = h.gen;
    t->owner_op = op;
    return h;
}

/* t's handle is released: it no longer belongs to its starter. */
static void co__disown(co_task *t) {
    co__own_op *op = t->owner_op;
    t->owner_op = NULL;
    co__op_detach(&op->base);
    co__own_give(op);
}

static void co__add_waiter(co_task *t, co_task *w, bool looks) {
    if (!w) co_panic_at(NULL, 0, 0, "await outside of a task");
    for (int32_t i = 0; i < t->nwaiters; i++)
        if (t->waiters[i].t == w && t->waiters[i].gen == w->gen) { t->waiters[i].looks |= looks; return; }
    if (t->nwaiters == t->capwaiters) {
        int32_t cap = t->capwaiters ? t->capwaiters * 2 : 2;
        co__waiter *nw = realloc(t->waiters, (size_t)cap * sizeof *nw);
        if (!nw) co__join_oom();
        t->waiters = nw;
        t->capwaiters = cap;
    }
    t->waiters[t->nwaiters++] = (co__waiter){ w, w->gen, looks };
}

void co__join_ended(co_task *t) {
    t->zombie = true;
    t->zprev = NULL;
    t->znext = co__zombies;
    if (co__zombies) co__zombies->zprev = t;
    co__zombies = t;
    co__nzombies++;
    t->watched = 0;
    int32_t kept = 0;
    for (int32_t i = 0; i < t->nwaiters; i++) {
        co__waiter w = t->waiters[i];
        if (w.t->alive && w.t->gen == w.gen) {
            co__task_wake(w.t);
            /* `h.wait(ms)` only learns that it ended: it keeps nothing alive
             * (review, stop 29: a task polled with wait() and cancelled was
             * never freed) */
            if (w.t != co_task_cur && w.looks) {
                t->watched++;
                /* kept, so that one ended before it looks (a race's loser,
                 * cancelled in the turn it was woken) is no longer waited
                 * for (co__join_settle) */
                t->waiters[kept++] = w;
                w.t->owes++;
            }
        }
    }
    t->nwaiters = kept;
}

/* Takes w out of the ended task t's kept waiters; whether it was there. */
static bool co__unkeep(co_task *t, co_task *w) {
    for (int32_t i = 0; i < t->nwaiters; i++)
        if (t->waiters[i].t == w) {
            t->waiters[i] = t->waiters[--t->nwaiters];
            w->owes--;
            return true;
        }
    return false;
}

static void co__remove_waiter(co_task *t, co_task *w) {
    for (int32_t i = 0; i < t->nwaiters; i++)
        if (t->waiters[i].t == w) {
            t->waiters[i] = t->waiters[--t->nwaiters];
            return;
        }
}

static void co__unzombie(co_task *t) {
    if (t->zprev) t->zprev->znext = t->znext; else co__zombies = t->znext;
    co__nzombies--;
    if (t->znext) t->znext->zprev = t->zprev;
    t->zprev = t->znext = NULL;
    t->zombie = false;
}

/* An ended joinable task: free what it kept, make its handles stale, recycle it. */
void co__join_release(co_task *t) {
    if (CO_UNLIKELY(t->owner_op != NULL)) co__disown(t);
    /* the tasks it kept are alive: each takes itself out before it ends */
    for (int32_t i = 0; i < t->nwaiters; i++) t->waiters[i].t->owes--;
    t->nwaiters = 0;
    if (t->state == CO__T_DONE) co__region_fini(&t->region);
    co__unzombie(t);
    t->joinable = false;
    t->root = NULL;
    t->gen++;
    co__task_recycle_released(t);
}

/* A joinable task has just ended cancelled. Cancelling also releases: the
 * handle is stale at once (no zombie is left behind for a handle nobody will
 * await) — unless other tasks were waiting for it (`await h`, `all`, `race`,
 * `h.wait(ms)`, woken by co__join_ended): then it stays a zombie, its region
 * already freed, so that the awaiter learns that it was cancelled (`await h`
 * panics "the awaited task was cancelled", `await h.result()` gives an Err)
 * rather than finding a stale handle (tester round 11: a worker awaiting a job
 * that another task cancelled panicked "cancelled or already awaited"). */
void co__join_cancelled(co_task *t) {
    if (!t->watched) co__join_release(t);
}

/* One of the tasks woken by a cancelled task's end has read that it was
 * cancelled: the last one releases it, so every such awaiter learns it (not
 * only the first: the others found a stale handle). Any other ended task is
 * released by its first reader, as before. */
static void co__join_looked(co_task *t) {
    if (co_task_cur) co__unkeep(t, co_task_cur);
    if (t->state == CO__T_CANCELLED && t->watched > 1) { t->watched--; return; }
    co__join_release(t);
}

/* w ends (or its task struct starts a successor) while ended tasks whose end
 * woke it wait for it to look: it never will. A cancelled one counts it as
 * having looked (the last released it), so a task awaiting `h` or
 * `h.result()` that loses a race (or is cancelled, or panics) in the turn h's
 * cancel woke it no longer keeps h's record for ever (issue 9, mem13: one
 * record, ~370 bytes, per such round); a completed one stays for its handle,
 * as one nobody awaited. Rare (w->owes > 0), so a walk of the ended tasks. */
void co__join_settle(co_task *w) {
    for (co_task *t = co__zombies, *next; t && w->owes > 0; t = next) {
        next = t->znext;
        if (!co__unkeep(t, w) || t->state != CO__T_CANCELLED) continue;
        if (t->watched > 1) t->watched--;
        else co__join_release(t);
    }
}

/* A task cancelling itself ends when it next waits or completes
 * (task.c: co__task_finish, then co__join_cancelled). Cancelling a task that
 * was cancelled already does nothing. */
void co_task_cancel(co_handle h) {
    co_task *t = co__live(h);
    if (!t) return;
    if (t == co_task_cur) { t->cancel_req = true; return; }
    if (t->alive) {
        co__task_end(t, CO__T_CANCELLED);
        co__join_cancelled(t);
    } else if (t->state != CO__T_CANCELLED) co__join_release(t);
}

void co_task_release(co_handle h) {
    co_task *t = co__live(h);
    if (!t) return;
    if (t->alive) co_task_cancel(h);
    else co__join_release(t);
}

bool co_task_done(co_handle h) {
    co_task *t = co__live(h);
    return !t || !t->alive;
}

void *co_task_result(co_handle h) {
    co_task *t = co__live(h);
    return t ? t->root : NULL;
}

/* An ended task: true when it completed, else (panicked, cancelled) the
 * awaiting task panics after releasing it. */
static bool co__joined(co_handle h, co_task *t, const char *file, int line, int col) {
    (void)h;
    if (t->state == CO__T_DONE) return true;
    bool panicked = t->state == CO__T_PANICKED;
    co__join_looked(t);
    co_panic_at(file, line, col, panicked ? "the awaited task panicked" : "the awaited task was cancelled");
}

bool co_task_join(co_handle h, const char *file, int line, int col) {
    co_task *t = co__live(h);
    if (!t) co_panic_at(file, line, col, "this task was cancelled or already awaited");
    if (t->alive) {
        co__add_waiter(t, co_task_cur, true);
        return false;
    }
    return co__joined(h, t, file, line, col);
}

/* await h.result(): never panics about the task. A stale handle gives 3: the
 * task was cancelled while nobody waited for it (it was released at once),
 * or the handle was awaited already; which one is not kept. */
int co_task_join_try(co_handle h) {
    co_task *t = co__live(h);
    if (!t) return 3;
    if (t->alive) {
        co__add_waiter(t, co_task_cur, true);
        return -1;
    }
    if (t->state == CO__T_DONE) return 0;
    int how = t->state == CO__T_PANICKED ? 1 : 2;
    co__join_looked(t);
    return how;
}

/* One `all`/`race` awaits each task once: a handle given twice (or two
 * copies of one) would be joined twice and its result read after the first
 * read released it. Marks rather than compares pairs, so a large Vec costs
 * two passes. Stale handles are left to the join, which names them. */
void co_task_join_check(const co_handle *hs, int64_t n, bool race, const char *file, int line, int col) {
    if (race && n == 0) co_panic_at(file, line, col, "race over no tasks");
    int64_t i = 0;
    for (; i < n; i++) {
        co_task *t = co__live(hs[i]);
        if (!t) continue;
        if (t->marked) break;
        t->marked = true;
    }
    bool dup = i < n;
    for (int64_t j = 0; j < i; j++) {
        co_task *t = co__live(hs[j]);
        if (t) t->marked = false;
    }
    if (dup) co_panic_at(file, line, col, race ? "the same task is raced twice (a handle can be awaited once)"
                                               : "the same task is awaited twice in one all (a handle can be awaited once)");
}

int64_t co_task_join_any(const co_handle *hs, int64_t n, const char *file, int line, int col) {
    for (int64_t i = 0; i < n; i++)
        if (!co__live(hs[i])) co_panic_at(file, line, col, "a raced task was cancelled or already awaited");
    for (int64_t i = 0; i < n; i++) {
        co_task *t = co__live(hs[i]);
        if (!t->alive) {
            co__joined(hs[i], t, file, line, col);
            return i;
        }
    }
    for (int64_t i = 0; i < n; i++) co__add_waiter(co__live(hs[i]), co_task_cur, true);
    return -1;
}

/* ---- h.wait(ms) ---- */

typedef struct co__wait_op { co__op base; uv_timer_t timer; } co__wait_op;

static void co__wait_free(uv_handle_t *h) { free(h->data); }

static void co__wait_drop(co__wait_op *op) {
    uv_timer_stop(&op->timer);
    uv_close((uv_handle_t *)&op->timer, co__wait_free);
}

static void co__wait_abandon(co__op *base) { co__wait_drop((co__wait_op *)base); }

static void co__wait_cb(uv_timer_t *h) {
    co__wait_op *op = h->data;
    co__op_complete(&op->base);   /* (abandoned ops have their timer stopped) */
}

co_task_wait_fut *co_task_wait_new(co_handle h, int64_t ms) {
    co_task_wait_fut *f = CO_NEW(co_task_wait_fut);
    f->hdr.poll = co_task_wait_poll;
    f->h = h;
    f->ms = ms;
    f->op = NULL;
    f->result = false;
    return f;
}

bool co_task_wait_poll(void *fut) {
    co_task_wait_fut *f = fut;
    if (f->op == CO__DONE) return true;
    co__wait_op *op = f->op;
    co_task *t = co__live(f->h);
    if (!t || !t->alive || (op && op->base.done)) {
        f->result = !t || !t->alive;
        if (!f->result) co__remove_waiter(t, co_task_cur);   /* timed out: no longer waiting (co__join_ended) */
        if (op) {
            co__op_detach(&op->base);
            co__wait_drop(op);
        }
        f->op = CO__DONE;
        return true;
    }
    if (f->ms <= 0) {
        f->op = CO__DONE;
        return true;
    }
    if (!op) {
        if (!co_task_cur) co_panic_at(NULL, 0, 0, "await outside of a task");
        op = malloc(sizeof *op);
        if (!op) co__join_oom();
        co__op_attach(&op->base, co__wait_abandon);
        uv_timer_init(co__loop(), &op->timer);
        op->timer.data = op;
        uv_update_time(co__loop());
        uv_timer_start(&op->timer, co__wait_cb, (uint64_t)f->ms, 0);
        f->op = op;
    }
    co__add_waiter(t, co_task_cur, false);
    return false;
}

void co__join_teardown(void) {
    while (co__own_pool) { co__own_op *op = co__own_pool; co__own_pool = (co__own_op *)op->base.next; free(op); }
    co__own_npool = 0;
    while (co__zombies) {
        co_task *t = co__zombies;
        co__unzombie(t);
        if (t->state == CO__T_DONE) co__region_fini(&t->region);
        free(t->waiters);
        free(t);
    }
}
