/* task.c — tasks, the ready queue and its drain, leaf operations and the
 * runtime statistics (co_task.h). Running the loop, the program entry points,
 * the exit paths (teardown, SIGINT/SIGTERM, the grace period) and coc test's
 * async blocks are in task_loop.c.
 *
 * A task is a pooled struct with its region embedded in it; its root future
 * is polled under a recovery point with co_task_cur, co_current and the
 * block-region list set to the task's. New and yielding tasks wait in a FIFO
 * queue drained by a libuv idle handle (started only while the queue is
 * non-empty, so an idle program can exit; a drain polls only the tasks that
 * were queued when it began, so a task that keeps yielding cannot starve
 * I/O). Leaf operations (task_internal.h) poll their task directly from the
 * libuv callback that completes them. */
#define _POSIX_C_SOURCE 200809L
#include "task_loop.h"
#include <stddef.h>
#include <stdlib.h>

co_task *co_task_cur = NULL;

/* Task structs beyond this many wait for reuse no longer (after a burst). */
#define CO__MAX_POOLED_TASKS 16384

static co_task *co__task_pool = NULL;
static int64_t co__npooled_tasks = 0;
static int64_t co__ntasks_alive = 0;

static co_task *co__q_head = NULL, *co__q_tail = NULL;
static uv_idle_t co__idle;
static bool co__idle_inited = false, co__idle_active = false;

static CO_COLD _Noreturn void co__task_oom(void) { co_oom(); }

int64_t co__tasks_alive(void) { return co__ntasks_alive; }

/* ---- tasks ---- */

co_task *co_task_new(void) {
    co_task *t = co__task_pool;
    if (t) {
        co__task_pool = t->next;
        co__npooled_tasks--;
    } else {
        t = malloc(sizeof *t);
        if (!t) co__task_oom();
        t->gen = 0;
        t->waiters = NULL;
        t->capwaiters = 0;
    }
    co__region_init(&t->region, true);
    t->budget.used = 0;
    t->budget.exceeded = false;
    t->budget.limit = co__task_mem_limit;
    t->budget.server = false;
    t->region.budget = &t->budget;
    t->root = NULL;
    t->next = NULL;
    t->ops = NULL;
    t->blocks = NULL;
    t->wakes = 0;
    t->queued = false;
    t->alive = true;
    t->is_main = false;
    t->joinable = t->zombie = t->cancel_req = t->marked = false;
    t->state = CO__T_RUNNING;
    t->nwaiters = 0;
    t->owes = 0;
    t->owner_op = NULL;
    t->on_end = NULL;
    t->succ = NULL;
    co__ntasks_alive++;
    return t;
}

co_region *co_task_region(co_task *t) { return &t->region; }

static void co__task_recycle(co_task *t) {
    if (co__npooled_tasks < CO__MAX_POOLED_TASKS) {
        t->next = co__task_pool;
        co__task_pool = t;
        co__npooled_tasks++;
    } else {
        free(t->waiters);
        free(t);
    }
}

/* The loop is about to wait: pooled task structs beyond CO__IDLE_POOLED_TASKS
 * go back to malloc, as the region caches' chunks do (co__region_idle). */
#define CO__IDLE_POOLED_TASKS 1024
void co__task_pool_trim(void) {
    while (CO_UNLIKELY(co__npooled_tasks > CO__IDLE_POOLED_TASKS)) {
        co_task *t = co__task_pool;
        co__task_pool = t->next;
        co__npooled_tasks--;
        free(t->waiters);
        free(t);
    }
}

void co__task_recycle_released(co_task *t) {
    if (!t->queued) co__task_recycle(t);   /* else the drain recycles it */
}

static void co__drain(uv_idle_t *h);

static void co__enqueue(co_task *t) {
    if (t->queued) return;
    t->queued = true;
    t->next = NULL;
    if (co__q_tail) {
        co__q_tail->next = t;
    } else {
        co__q_head = t;
        if (!co__idle_active) {
            if (!co__idle_inited) {
                uv_idle_init(co__loop(), &co__idle);
                co__idle_inited = true;
            }
            uv_idle_start(&co__idle, co__drain);
            co__idle_active = true;
        }
    }
    co__q_tail = t;
}

void co_task_start(co_task *t, co_fut *root) {
    t->root = root;
    co__enqueue(t);
}

void co__task_wake(co_task *t) { co__enqueue(t); }

void co__task_yield(void) {
    if (!co_task_cur) co_panic_at(NULL, 0, 0, "await outside of a task");
    co__enqueue(co_task_cur);
}

/* The task has completed, panicked or was cancelled: free what it holds,
 * recycle it (a joinable one stays a zombie until its handle releases it;
 * one that completed keeps its region, where its result is). */
void co__task_end(co_task *t, int how) {
    bool panicked = how == CO__T_PANICKED;
    /* how it ends, for the abandons below: the task's own, not a global (an
     * abandon may end other tasks, each with its own how) */
    t->ending = (uint8_t)how;
    if (CO_UNLIKELY(panicked) && co__test_running) co__test_task_panicked(t);
    if (CO_UNLIKELY(t->owes)) co__join_settle(t);
    while (t->blocks) co_region_free(t->blocks);
    while (t->ops) {
        co__op *op = t->ops;
        co__op_detach(op);
        op->task = NULL;
        op->abandon(op);
    }
    if (t->on_end) {
        void (*f)(int64_t) = t->on_end;
        t->on_end = NULL;
        f(t->on_end_arg);
    }
    if (!(t->joinable && how == CO__T_DONE)) {
        co__region_fini(&t->region);
        t->root = NULL;
    }
    t->alive = false;
    t->state = (uint8_t)how;
    co__ntasks_alive--;
    if (panicked && t->is_main) co__main_panic_shutdown();
    if (t == co__test_task) co__test_ended(panicked);
    if (t->joinable) {
        co__join_ended(t);
        return;
    }
    t->gen++;
    t->root = NULL;
    if (!t->queued) co__task_recycle(t);   /* else the drain recycles it */
}

/* setjmp lives in this small frame of its own (see co_try): 1 done, 0 waiting,
 * -1 panicked (the panic line was printed). */
static CO_NOINLINE int co__poll_guarded(co_fut *root) {
    co_catch c;
#if CO_FAST_CATCH
    /* every poll of every task passes here: the compiler's own setjmp saves
     * a few registers where libc's saves them all and the signal-mask flag
     * (co_panic.h, CO_FAST_CATCH) */
    c.prev = (co_catch *)((uintptr_t)co_catch_top | 1);
    CO_CATCH_SAVE(c);
    co_catch_top = &c;
    if (__builtin_setjmp((void **)c.jb) != 0) {
        co_catch_top = CO_CATCH_PREV(&c);
        return -1;
    }
#else
    c.prev = co_catch_top;
    CO_CATCH_SAVE(c);
    co_catch_top = &c;
    if (setjmp(c.jb) != 0) {
        co_catch_top = c.prev;
        return -1;
    }
#endif
    bool done = root->poll(root);
    co_catch_top = CO_CATCH_PREV(&c);
    return done ? 1 : 0;
}

/* After a poll that returned r (co__poll_guarded's): the task ends when its
 * root finished or it cancelled itself (it stops at this await), and a
 * cancelled one whose handle was dropped (a zombie) is released. Only a
 * joinable task is still ours after its end: any other went back to the pool,
 * or was freed when the pool was full (16,384 tasks), so it is not read again
 * (tester round 8: every task ending while more than 16,384 were alive was
 * read after free). */
static inline void co__task_finish(co_task *t, int r) {
    if (r == 0 && !t->cancel_req) return;
    bool joinable = t->joinable;
    co__task_end(t, r < 0 ? CO__T_PANICKED : r > 0 ? CO__T_DONE : CO__T_CANCELLED);
    if (joinable && t->cancel_req && t->zombie) co__join_cancelled(t);
}

/* The task whose successor is being started (co__task_poll_succ), and
 * whether co__task_start_lazy may start it by a poll at once instead of
 * queueing it: set around the successor's call only. */
static co_task *co__succ_task = NULL;
static bool co__succ_rerun = false;

/* co__task_poll's end when a successor is set (r: co__poll_guarded's).
 * True when the successor started the task again to run at once: the
 * caller polls it again (a loop, not a recursion). */
static CO_NOINLINE bool co__task_poll_succ(co_task *t, int r, bool may_rerun) {
    void (*f)(co_task *, int64_t, int64_t) = t->succ;
    int64_t a = t->succ_a, b = t->succ_b;
    t->succ = NULL;
    if (r > 0 && !t->ops && !t->blocks && !t->joinable && !t->cancel_req && !t->is_main && t != co__test_task) {
        /* what co__task_end and co_task_new would do, but the task stays
         * alive and out of the pool, its region set up (its end hook too) */
        if (CO_UNLIKELY(t->owes)) co__join_settle(t);
        /* a successor that runs at once keeps the region's one small chunk,
         * rewound (no chunk given back and taken again); one that is queued
         * gives it back (co__task_start_lazy): 256 queued tasks each holding a
         * 2 KiB chunk raised the pipelined peak RSS by 0.5 MiB */
        if (may_rerun) co__region_rewind(&t->region);
        else co_region_reset(&t->region);
        t->budget.exceeded = false;
        t->gen++;   /* its old ops' generation, as an end */
        t->wakes = 0;
        t->root = NULL;
        co__succ_task = may_rerun ? t : NULL;
        f(t, a, b);
        co__succ_task = NULL;
        bool rerun = co__succ_rerun;
        co__succ_rerun = false;
        return rerun;   /* t is not read otherwise: f may have ended it */
    }
    co__task_finish(t, r);
    f(NULL, a, b);   /* after: it may take t's struct from the pool */
    return false;
}

/* Successors polled at once, one after the other, by one co__task_poll
 * (then the next is queued for this turn: the other connections' requests
 * are not held up by a long pipeline). */
#define CO__RERUN_MAX 16

void co__task_poll(co_task *t) {
    co_task *saved_task = co_task_cur;
    co_region *saved_cur = co_current;
    co_region **saved_track = co__region_track;
    co_budget *saved_budget = co__region_budget;
    for (int reruns = 0;; reruns++) {
        co_task_cur = t;
        co_current = &t->region;
        co__region_track = &t->blocks;
        co__region_budget = &t->budget;
        co_caller.file = NULL;   /* each poll starts at the task's root: the program's calls into std set it again */
        int r = co__poll_guarded(t->root);
        co_task_cur = saved_task;
        co_current = saved_cur;
        co__region_track = saved_track;
        co__region_budget = saved_budget;
        if (CO_LIKELY(t->succ == NULL)) { co__task_finish(t, r); return; }
        if (!co__task_poll_succ(t, r, reruns < CO__RERUN_MAX)) return;
        t->wakes++;
    }
}

/* The list the drain is running (taken from the queue when the turn's drain
 * began), so that co__task_start_this_turn can append to it. */
static co_task *co__run_head = NULL, *co__run_tail = NULL;
static bool co__draining = false;
static int co__this_turn_left = 0;

static void co__drain(uv_idle_t *h) {
    co__run_head = co__q_head;
    co__run_tail = co__q_tail;
    co__q_head = co__q_tail = NULL;   /* tasks queued from here on wait for the next turn */
    co__draining = true;
    co__this_turn_left = CO__THIS_TURN_MAX;
    co_task *t;
    while ((t = co__run_head)) {
        co__run_head = t->next;
        if (!co__run_head) co__run_tail = NULL;
        t->queued = false;
        if (t->alive) {
            t->wakes++;
            co__task_poll(t);
        } else if (!t->zombie) {
            co__task_recycle(t);
        }
    }
    co__draining = false;
    if (!co__q_head) {
        uv_idle_stop(h);
        co__idle_active = false;
    }
}

bool co__task_start_this_turn(co_task *t, co_fut *root) {
    if (!co__draining || co__this_turn_left <= 0 || t->queued) {
        co_task_start(t, root);
        return false;
    }
    co__this_turn_left--;
    t->root = root;
    t->queued = true;
    t->next = NULL;
    if (co__run_tail) co__run_tail->next = t;
    else co__run_head = t;
    co__run_tail = t;
    return true;
}

static bool co__lazy_poll(void *f) {
    co_task *t = (co_task *)((char *)f - offsetof(co_task, lazy));
    if (!t->region.small) co__region_prime(&t->region);   /* making the root allocates its frame (a rewound region has its chunk) */
    co_fut *root = t->lazy.fn(t->lazy.env, t->lazy.arg);
    t->root = root;   /* later polls go straight to it */
    return root->poll(root);
}

static inline void co__set_lazy(co_task *t, co_fut *(*fn)(void *, int64_t), void *env, int64_t arg) {
    t->lazy.hdr.poll = co__lazy_poll;
    t->lazy.fn = fn;
    t->lazy.env = env;
    t->lazy.arg = arg;
}

bool co__task_start_lazy(co_task *t, co_fut *(*fn)(void *, int64_t), void *env, int64_t arg) {
    co__set_lazy(t, fn, env, arg);
    if (t == co__succ_task) {
        co__succ_task = NULL;
        if (!t->queued) {
            /* the successor of the task co__task_poll has just polled:
             * polled again by it at once, on its rewound region */
            co__succ_rerun = true;
            t->root = &t->lazy.hdr;
            return true;
        }
        co_region_reset(&t->region);   /* it waits in the queue without a chunk */
    }
    return co__task_start_this_turn(t, &t->lazy.hdr);
}

bool co__task_run_lazy(co_task *t, co_fut *(*fn)(void *, int64_t), void *env, int64_t arg) {
    if (co_task_cur || co__draining || t->queued) return co__task_start_lazy(t, fn, env, arg);
    co__set_lazy(t, fn, env, arg);
    t->root = &t->lazy.hdr;
    t->wakes++;
    co__task_poll(t);
    return true;
}

/* ---- leaf operations ---- */

void co__op_attach(co__op *op, void (*abandon)(co__op *)) {
    co_task *t = co_task_cur;
    if (!t) co_panic_at(NULL, 0, 0, "await outside of a task");
    co__op_attach_to(op, t, abandon);
}

void co__op_attach_to(co__op *op, co_task *t, void (*abandon)(co__op *)) {
    op->task = t;
    op->gen = t->gen;
    op->done = false;
    op->abandon = abandon;
    op->next = t->ops;
    if (t->ops) t->ops->pprev = &op->next;
    op->pprev = &t->ops;
    t->ops = op;
}

void co__op_detach(co__op *op) {
    if (!op->pprev) return;
    *op->pprev = op->next;
    if (op->next) op->next->pprev = op->pprev;
    op->next = NULL;
    op->pprev = NULL;
}

bool co__op_complete(co__op *op) {
    co_task *t = op->task;
    if (!t) return false;
    op->done = true;
    /* an attached op's task is alive: ending a task orphans its ops */
    if (t->alive && t->gen == op->gen) co__task_poll(t);
    return true;
}

/* ---- the end of a run (task_loop.c) ---- */

void co__drain_teardown(void) {
    if (co__idle_inited) {
        uv_close((uv_handle_t *)&co__idle, NULL);
        co__idle_inited = co__idle_active = false;
    }
}

void co__task_pool_free(void) {
    while (co__task_pool) {
        co_task *t = co__task_pool;
        co__task_pool = t->next;
        free(t->waiters);
        free(t);
    }
    co__npooled_tasks = 0;
}

/* ---- runtime.stats() ---- */

int64_t co_std_runtime_stat(int64_t which) {
    if (which == 0) return co__ntasks_alive;
    co_region_stats s = co_region_global_stats();
    switch (which) {
    case 1: return s.bytes_in_use;
    case 2: return s.peak_bytes;
    case 3: return s.chunks_in_use;
    case 4: return s.chunks_cached;
    case 5: return s.regions_alive;
    case 6: return co_global_get_stats().bytes;
    case 7: return co_global_get_stats().blocks;
    case 8: return co_global_get_stats().queued;
    case 10: return co_global_get_stats().max_flush_ns;
    case 11: return co_global_get_stats().max_flush_cpu_ns;
    case 12: return co__join_kept();
    case 13: return co_env_hold_get_stats().taken;
    case 14: return co_env_hold_get_stats().in_flight;
    case 9: { size_t rss = 0; return uv_resident_set_memory(&rss) == 0 ? (int64_t)rss : 0; }
    default: return 0;
    }
}

/* The cap of the polled task and of every task started from now on. */
void co_std_runtime_setTaskMemoryLimit(int64_t bytes) {
    if (bytes < 0) bytes = 0;
    co__task_mem_limit = bytes;
    if (co__region_budget) co__region_budget->limit = bytes;
}
